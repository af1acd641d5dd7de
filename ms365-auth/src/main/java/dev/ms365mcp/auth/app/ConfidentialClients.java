package dev.ms365mcp.auth.app;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IHttpClient;
import dev.ms365mcp.auth.AuthSettings;
import dev.ms365mcp.auth.msal.CallerRunsExecutor;
import java.net.MalformedURLException;

/** The confidential client both app-only and on-behalf-of use. */
public final class ConfidentialClients {

    private ConfidentialClients() {
    }

    public static ConfidentialClientApplication build(AuthSettings settings, IHttpClient httpClient) {
        try {
            ConfidentialClientApplication.Builder builder = ConfidentialClientApplication
                    .builder(settings.clientId(), ClientCredentialFactory.createFromSecret(settings.clientSecret()))
                    .authority(settings.authorityUrl())
                    // Talk to the configured authority only: no instance discovery on another host.
                    .instanceDiscovery(false)
                    .executorService(CallerRunsExecutor.INSTANCE);
            if (httpClient != null) {
                builder.httpClient(httpClient);
            }
            return builder.build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("The authority URL " + settings.authorityUrl()
                    + " is not valid: check MS365_MCP_AUTHORITY_URL and MS365_MCP_TENANT_ID");
        }
    }
}
