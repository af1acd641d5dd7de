package dev.ms365mcp.auth.errors;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.aad.msal4j.MsalClientException;
import com.microsoft.aad.msal4j.MsalServiceException;
import dev.ms365mcp.auth.AuthException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class EntraErrorsTest {

    private static AuthException map(int code, String error) {
        String description = "AADSTS" + code + ": something happened.\r\nTrace ID: 1\r\nCorrelation ID: 2";
        return EntraErrors.toAuthException(new ExecutionException(new MsalServiceException(description, error)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "65001   | invalid_grant        | consent",
            "90094   | invalid_grant        | admin consent",
            "650052  | invalid_client       | administrator",
            "7000218 | invalid_client       | Allow public client flows",
            "70000   | invalid_grant        | --login",
            "700082  | invalid_grant        | --login",
            "50173   | invalid_grant        | --login",
            "50020   | invalid_grant        | MS365_MCP_TENANT_ID=consumers",
            "9002331 | invalid_request      | MS365_MCP_TENANT_ID=consumers",
            "500200  | invalid_grant        | MS365_MCP_TENANT_ID=consumers",
            "700016  | unauthorized_client  | MS365_MCP_CLIENT_ID",
            "7000215 | invalid_client       | MS365_MCP_CLIENT_SECRET",
            "70020   | expired_token        | expired",
            "53003   | access_denied        | Conditional Access",
    })
    void aadstsCodesBecomeFixes(int code, String error, String fix) {
        AuthException e = map(code, error);
        assertThat(e.getMessage()).contains(fix).contains("AADSTS" + code + ": something happened.")
                .doesNotContain("Trace ID", "\n");
    }

    @Test
    void unknownCodesFallBackOnTheOauthError() {
        assertThat(map(99999, "invalid_grant").getMessage()).contains("--login");
        assertThat(map(99999, "server_error").getMessage()).contains("refused").contains("AADSTS99999");
    }

    @Test
    void networkFailuresSayWhatToCheck() {
        AuthException e = EntraErrors.toAuthException(new CompletionException(
                new MsalClientException(new IOException("Connection refused"))));
        assertThat(e.getMessage()).contains("Cannot reach").contains("Connection refused")
                .contains("MS365_MCP_AUTHORITY_URL");
    }

    @Test
    void anAuthExceptionFromInsideMsalIsKept() {
        AuthException inner = new AuthException("The token cache x is damaged.");
        assertThat(EntraErrors.toAuthException(new ExecutionException(new MsalClientException(inner))))
                .isSameAs(inner);
    }

    @Test
    void readsTheCode() {
        assertThat(EntraErrors.aadstsCode("AADSTS700082: The refresh token has expired")).isEqualTo(700082);
        assertThat(EntraErrors.aadstsCode("no code")).isZero();
        assertThat(EntraErrors.aadstsCode(null)).isZero();
    }
}
