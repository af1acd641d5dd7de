package dev.ms365mcp.http.oauth;

import java.util.List;

/**
 * A client this server knows: registered through {@code /register} (RFC 7591) or described by its own
 * Client ID Metadata Document. The client secret, if any, is kept only as its hash.
 *
 * @param tokenEndpointAuthMethod {@code none} (public client, PKCE only), {@code client_secret_basic} or {@code client_secret_post}
 * @param metadataDocument        true when {@code clientId} is the URL of the client's metadata document
 */
record RegisteredClient(String clientId, String clientName, List<String> redirectUris, List<String> grantTypes,
                        List<String> responseTypes, String tokenEndpointAuthMethod, String secretHash,
                        long clientIdIssuedAt, String clientUri, String applicationType, String scope,
                        boolean metadataDocument) {

    RegisteredClient {
        redirectUris = List.copyOf(redirectUris);
        grantTypes = List.copyOf(grantTypes);
        responseTypes = List.copyOf(responseTypes);
    }

    boolean confidential() {
        return !"none".equals(tokenEndpointAuthMethod);
    }

    /** What the consent page calls the client: its name, else its id. */
    String displayName() {
        return clientName == null || clientName.isBlank() ? clientId : clientName;
    }
}
