package dev.ms365mcp.testkit.entra;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/**
 * A throw-away RSA certificate credential for a confidential client, made with the JDK's keytool:
 * the PKCS#12 file an operator would configure, its key and certificate, and a PEM rendering.
 * Register it with {@link FakeEntra#addConfidentialClient(String, X509Certificate)}.
 */
public record ClientCertificate(Path pkcs12, String password, PrivateKey privateKey, X509Certificate certificate) {

    private static final String ALIAS = "client";

    /** Creates {@code <name>.p12} in {@code dir}: RSA 2048, CN={@code name}, valid 2 days. */
    public static ClientCertificate generate(Path dir, String name) throws IOException {
        Path file = dir.resolve(name + ".p12");
        String password = "client-cert-" + Long.toHexString(System.nanoTime());
        SelfSignedTls.keytool(List.of("-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "2", "-dname", "CN=" + name, "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", password, "-keypass", password));
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            return new ClientCertificate(file, password, (PrivateKey) store.getKey(ALIAS, password.toCharArray()),
                    (X509Certificate) store.getCertificate(ALIAS));
        } catch (GeneralSecurityException e) {
            throw new IOException("could not read the generated certificate", e);
        }
    }

    /** Writes the unencrypted PKCS#8 key and the certificate as one PEM file, as openssl would. */
    public Path writePem(Path file) throws IOException {
        try {
            Files.writeString(file, pem("PRIVATE KEY", privateKey.getEncoded())
                    + pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IOException("could not encode the certificate", e);
        }
        return file;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    @Override
    public String toString() {
        return "ClientCertificate[" + certificate.getSubjectX500Principal() + ", " + pkcs12 + "]";
    }
}
