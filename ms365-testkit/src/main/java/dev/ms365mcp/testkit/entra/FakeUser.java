package dev.ms365mcp.testkit.entra;

/**
 * A user FakeEntra can sign in.
 *
 * @param username  the sign-in name ({@code preferred_username}), e.g. {@code alice@contoso.com}
 * @param objectId  the user's object id ({@code oid}, and {@code uid} in client_info)
 * @param tenantId  the home tenant ({@code tid}, and {@code utid} in client_info)
 */
public record FakeUser(String username, String objectId, String tenantId) {

    /** The tenant id Entra uses for every personal Microsoft account. */
    public static final String CONSUMERS_TENANT_ID = "9188040d-6c67-4c5b-b112-36a304b66dad";

    /** What MSAL calls the home account id: {@code uid.utid} from client_info. */
    public String homeAccountId() {
        return objectId + "." + tenantId;
    }
}
