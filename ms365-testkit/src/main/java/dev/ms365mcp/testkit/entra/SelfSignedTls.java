package dev.ms365mcp.testkit.entra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away TLS identity for {@code localhost} / {@code 127.0.0.1}: a server key store and a trust
 * store holding only its certificate, so another JVM can trust the fake with
 * {@code -Djavax.net.ssl.trustStore=<truststore> -Djavax.net.ssl.trustStorePassword=<password>}.
 *
 * <p>The JDK has no public API to create certificates, so the key pair comes from the JDK's own
 * {@code keytool}; the trust store is then written with the {@link KeyStore} API.
 */
public final class SelfSignedTls {

    private static final String ALIAS = "fake-entra";

    private final Path keyStore;
    private final Path trustStore;
    private final String password;

    private SelfSignedTls(Path keyStore, Path trustStore, String password) {
        this.keyStore = keyStore;
        this.trustStore = trustStore;
        this.password = password;
    }

    /** Creates {@code server.p12} and {@code truststore.p12} in {@code dir}. */
    public static SelfSignedTls generate(Path dir) throws IOException {
        String password = "fake-entra-" + Long.toHexString(System.nanoTime());
        Path keyStore = dir.resolve("server.p12");
        Path trustStore = dir.resolve("truststore.p12");
        keytool(List.of("-genkeypair", "-alias", ALIAS,
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", password, "-keypass", password));
        try {
            KeyStore server = load(keyStore, password);
            Certificate certificate = server.getCertificate(ALIAS);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry(ALIAS, certificate);
            try (OutputStream out = Files.newOutputStream(trustStore)) {
                trust.store(out, password.toCharArray());
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("could not write the trust store", e);
        }
        return new SelfSignedTls(keyStore, trustStore, password);
    }

    /** Runs the JDK's keytool with {@code arguments}; fails with its output. */
    static void keytool(List<String> arguments) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>();
        command.add(keytool.toString());
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
    }

    public Path trustStore() {
        return trustStore;
    }

    /**
     * Writes the certificate as PEM next to the trust store and returns its path, for clients that are
     * not JVMs (Node's {@code NODE_EXTRA_CA_CERTS}, curl's {@code --cacert}).
     */
    public Path certificatePem() throws IOException {
        Path pem = trustStore.resolveSibling("certificate.pem");
        if (!Files.exists(pem)) {
            try {
                byte[] der = load(trustStore, password).getCertificate(ALIAS).getEncoded();
                String body = java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                        .encodeToString(der);
                Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n");
            } catch (GeneralSecurityException e) {
                throw new IOException("could not read the certificate", e);
            }
        }
        return pem;
    }

    public String password() {
        return password;
    }

    /** What the fake's HTTPS server presents. */
    public SSLContext serverContext() throws IOException {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(keyStore, password), password.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("could not load the server key store", e);
        }
    }

    /** A client context trusting only this certificate, for in-process HTTPS clients. */
    public SSLContext clientContext() throws IOException {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(trustStore, password));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("could not load the trust store", e);
        }
    }

    private static KeyStore load(Path file, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }
}
