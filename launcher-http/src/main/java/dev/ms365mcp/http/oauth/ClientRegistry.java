package dev.ms365mcp.http.oauth;

import dev.ms365mcp.http.state.StateStore;
import java.time.Duration;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where {@code /authorize} and {@code /token} look clients up: registrations in the state store (they
 * survive restarts and replicas; each use restarts their expiry), and https client ids through their
 * metadata documents.
 */
final class ClientRegistry {

    private static final String PREFIX = "oauth:client:";

    private final StateStore store;
    private final Duration ttl;
    private final ClientMetadataDocuments documents;

    ClientRegistry(StateStore store, Duration ttl, ClientMetadataDocuments documents) {
        this.store = store;
        this.ttl = ttl;
        this.documents = documents;
    }

    void save(RegisteredClient client) {
        store.put(PREFIX + client.clientId(), JsonMapper.shared().writeValueAsBytes(client), ttl);
    }

    /** The client, or empty when unknown, expired, or its metadata document cannot be used. */
    Optional<RegisteredClient> find(String clientId) {
        if (clientId == null || clientId.isEmpty() || clientId.length() > 2000) {
            return Optional.empty();
        }
        if (clientId.startsWith("https://")) {
            return documents.resolve(clientId);
        }
        Optional<byte[]> stored = store.get(PREFIX + clientId);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        // Sliding expiry: a client in use keeps its registration.
        store.compareAndSet(PREFIX + clientId, stored.get(), stored.get(), ttl);
        return Optional.of(JsonMapper.shared().readValue(stored.get(), RegisteredClient.class));
    }
}
