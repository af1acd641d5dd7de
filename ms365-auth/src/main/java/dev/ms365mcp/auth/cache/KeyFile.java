package dev.ms365mcp.auth.cache;

import dev.ms365mcp.auth.AuthException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A 32-byte AES key kept in a file (base64, mode 0600, written atomically), created on first use: the
 * token cache's key beside the cache, the HTTP server's state key in its data directory.
 */
public final class KeyFile {

    private static final Logger LOG = LoggerFactory.getLogger(KeyFile.class);

    private KeyFile() {
    }

    /**
     * @param what        what the key protects, for messages ("token cache")
     * @param ifDamaged   what to do when the file holds no valid key
     * @param variable    the environment variable that gives the key instead of the file
     */
    public static byte[] readOrCreate(Path keyFile, String what, String ifDamaged, String variable) {
        try {
            if (Files.exists(keyFile)) {
                String text = Files.readString(keyFile, StandardCharsets.US_ASCII).strip();
                byte[] key;
                try {
                    key = Base64.getDecoder().decode(text);
                } catch (IllegalArgumentException e) {
                    key = new byte[0];
                }
                if (key.length != 32) {
                    throw new AuthException("The " + what + " key file " + keyFile + " is damaged (it must hold 32 "
                            + "bytes in base64). " + ifDamaged);
                }
                return key;
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            SecureFiles.writeAtomically(keyFile, (Base64.getEncoder().encodeToString(key) + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
            LOG.info("Created a new {} key file {}", what, keyFile);
            return key;
        } catch (IOException e) {
            throw new AuthException("Cannot read or create the " + what + " key file " + keyFile + ": "
                    + e.getMessage() + ". Check that the directory is writable, or set " + variable + ".", e);
        }
    }

    /** A key given in {@code variable} as base64 (32 bytes); the error names the variable. */
    public static byte[] decode(String base64, String variable) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            key = new byte[0];
        }
        if (key.length != 32) {
            throw new IllegalArgumentException(variable + " must be 32 random bytes in base64 "
                    + "(e.g. the output of: openssl rand -base64 32)");
        }
        return key;
    }
}
