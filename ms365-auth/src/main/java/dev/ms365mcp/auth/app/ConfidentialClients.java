package dev.ms365mcp.auth.app;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.IHttpClient;
import dev.ms365mcp.auth.AuthSettings;
import dev.ms365mcp.auth.msal.CallerRunsExecutor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The confidential client app-only, on-behalf-of and the HTTP server's per-user sign-in use. */
public final class ConfidentialClients {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private ConfidentialClients() {
    }

    public static ConfidentialClientApplication build(AuthSettings settings, IHttpClient httpClient) {
        return builder(settings, httpClient).build();
    }

    /**
     * A builder already set up for the configured authority, credential and HTTP client, for callers that
     * add to it (e.g. a token cache); every app built from it talks to the configured authority only.
     */
    public static ConfidentialClientApplication.Builder builder(AuthSettings settings, IHttpClient httpClient) {
        return builder(settings, credential(settings), httpClient);
    }

    /** As {@link #builder(AuthSettings, IHttpClient)} with a credential read once by {@link #credential}. */
    public static ConfidentialClientApplication.Builder builder(AuthSettings settings, IClientCredential credential,
                                                                IHttpClient httpClient) {
        try {
            ConfidentialClientApplication.Builder builder = ConfidentialClientApplication
                    .builder(settings.clientId(), credential)
                    .authority(settings.authorityUrl())
                    // Talk to the configured authority only: no instance discovery on another host.
                    .instanceDiscovery(false)
                    .executorService(CallerRunsExecutor.INSTANCE);
            if (httpClient != null) {
                builder.httpClient(httpClient);
            }
            return builder;
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("The authority URL " + settings.authorityUrl()
                    + " is not valid: check MS365_MCP_AUTHORITY_URL and MS365_MCP_TENANT_ID");
        }
    }

    /**
     * The certificate ({@code MS365_MCP_CLIENT_CERTIFICATE_PATH}) when one is configured, else the secret.
     * Reads the certificate file on every call: callers that build apps often keep the result.
     */
    public static IClientCredential credential(AuthSettings settings) {
        Path path = settings.clientCertificatePath();
        if (path == null) {
            if (settings.clientSecret() == null) {
                throw new IllegalArgumentException("A confidential client needs MS365_MCP_CLIENT_SECRET or "
                        + "MS365_MCP_CLIENT_CERTIFICATE_PATH");
            }
            return ClientCredentialFactory.createFromSecret(settings.clientSecret());
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new IllegalArgumentException("MS365_MCP_CLIENT_CERTIFICATE_PATH: cannot read " + path + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        return text.contains("-----BEGIN ") ? fromPem(text, path) : fromPkcs12(bytes, path,
                settings.clientCertificatePassword());
    }

    private static IClientCredential fromPkcs12(byte[] bytes, Path path, String password) {
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            return ClientCredentialFactory.createFromCertificate(in, password == null ? "" : password);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // Never echo the password; the exception type is enough to tell "wrong password" from "not PKCS#12".
            throw new IllegalArgumentException("MS365_MCP_CLIENT_CERTIFICATE_PATH: " + path + " is not a PKCS#12 "
                    + "file this password (MS365_MCP_CLIENT_CERTIFICATE_PASSWORD) opens, nor a PEM file ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static IClientCredential fromPem(String text, Path path) {
        PrivateKey key = null;
        String unsupportedKey = null;
        List<X509Certificate> chain = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        try {
            CertificateFactory certificates = CertificateFactory.getInstance("X.509");
            while (m.find()) {
                byte[] der = Base64.getMimeDecoder().decode(m.group(2));
                switch (m.group(1)) {
                    case "PRIVATE KEY" -> key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
                    case "CERTIFICATE" -> chain.add((X509Certificate) certificates.generateCertificate(
                            new ByteArrayInputStream(der)));
                    case "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY" -> unsupportedKey = m.group(1);
                    default -> {
                        // Other blocks (e.g. EC parameters) are not needed.
                    }
                }
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("MS365_MCP_CLIENT_CERTIFICATE_PATH: " + path + " has a key or "
                    + "certificate that cannot be read (" + e.getClass().getSimpleName() + "); an RSA key is needed");
        }
        if (key == null && unsupportedKey != null) {
            throw new IllegalArgumentException("MS365_MCP_CLIENT_CERTIFICATE_PATH: " + path + " holds an "
                    + unsupportedKey + " block; convert the key to unencrypted PKCS#8 (openssl pkcs8 -topk8 -nocrypt) "
                    + "or use a PKCS#12 file with MS365_MCP_CLIENT_CERTIFICATE_PASSWORD");
        }
        if (key == null || chain.isEmpty()) {
            throw new IllegalArgumentException("MS365_MCP_CLIENT_CERTIFICATE_PATH: " + path + " must hold both a "
                    + "-----BEGIN PRIVATE KEY----- block (PKCS#8, RSA) and the -----BEGIN CERTIFICATE----- block");
        }
        return chain.size() == 1 ? ClientCredentialFactory.createFromCertificate(key, chain.getFirst())
                : ClientCredentialFactory.createFromCertificateChain(key, chain);
    }
}
