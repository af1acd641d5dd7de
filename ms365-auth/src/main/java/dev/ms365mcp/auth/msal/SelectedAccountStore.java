package dev.ms365mcp.auth.msal;

import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.cache.SecureFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which cached account calls use when they name none ({@code MS365_MCP_SELECTED_ACCOUNT_PATH}): one
 * line holding the home account id. Not secret, but private like the cache, and replaced atomically
 * so another process never reads half of it.
 */
final class SelectedAccountStore {

    private final Path file;

    SelectedAccountStore(Path file) {
        this.file = file;
    }

    Optional<String> read() {
        try {
            String id = Files.readString(file, StandardCharsets.UTF_8).strip();
            return id.isEmpty() ? Optional.empty() : Optional.of(id);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new AuthException("Cannot read the selected account file " + file + ": " + e.getMessage(), e);
        }
    }

    void write(String homeAccountId) {
        try {
            SecureFiles.writeAtomically(file, (homeAccountId + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AuthException("Cannot save the selected account to " + file + ": " + e.getMessage()
                    + ". Check that the directory is writable, or set MS365_MCP_SELECTED_ACCOUNT_PATH.", e);
        }
    }

    void clear() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new AuthException("Cannot delete the selected account file " + file + ": " + e.getMessage(), e);
        }
    }
}
