package dev.ms365mcp.testkit.graph;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A small stateful mailbox on a {@link FakeGraph}: a signed-in user, two folders, a few messages
 * that can be listed, read, deleted, and mail that can be sent. Used by end-to-end tests and by
 * {@link #main} for trying the server by hand.
 */
public final class DemoMailbox {

    private final Map<String, ObjectNode> messages = new ConcurrentHashMap<>();
    private final List<JsonNode> sent = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();

    private DemoMailbox() {
    }

    /** Seeds {@code graph} with the demo user and mailbox and returns the mailbox for assertions. */
    public static DemoMailbox install(FakeGraph graph) {
        DemoMailbox box = new DemoMailbox();
        box.add("inbox", "Quarterly numbers", "finance@contoso.example", "The Q3 report is attached.");
        box.add("inbox", "Lunch on Friday?", "megan@contoso.example", "Shall we try the new place?");
        box.add("inbox", "Build is green", "ci@contoso.example", "All 412 tests passed.");
        box.routes(graph);
        return box;
    }

    public List<JsonNode> sentMail() {
        return List.copyOf(sent);
    }

    public boolean contains(String messageId) {
        return messages.containsKey(messageId);
    }

    public List<String> messageIds() {
        return messages.keySet().stream().sorted().collect(Collectors.toList());
    }

    private void add(String folder, String subject, String from, String text) {
        String id = "AAMk-demo-" + ids.incrementAndGet();
        ObjectNode m = JsonText.MAPPER.createObjectNode();
        m.put("@odata.etag", "W/\"CQAAABYAAAD" + id + "\"");
        m.put("id", id);
        m.put("subject", subject);
        m.put("parentFolderId", folder);
        m.put("receivedDateTime", "2026-11-0" + ids.get() + "T09:30:00Z");
        m.putObject("from").putObject("emailAddress").put("address", from);
        ObjectNode body = m.putObject("body");
        body.put("contentType", "text");
        body.put("content", text);
        m.put("isRead", false);
        messages.put(id, m);
    }

    private void routes(FakeGraph graph) {
        String v = "/v1.0";
        graph.on("GET", v + "/me", FakeResponse.ok(
                "{\"@odata.context\":\"x\",\"id\":\"demo-user\",\"displayName\":\"Adele Vance\","
                        + "\"userPrincipalName\":\"adele@contoso.example\",\"mail\":\"adele@contoso.example\"}"));
        graph.on("GET", v + "/me/mailFolders", FakeResponse.ok(
                "{\"value\":[{\"id\":\"inbox\",\"displayName\":\"Inbox\",\"totalItemCount\":3},"
                        + "{\"id\":\"sentitems\",\"displayName\":\"Sent Items\",\"totalItemCount\":0}]}"));
        graph.on("GET", v + "/me/messages", (req, base) -> list(null, req));
        graph.onMatching("GET", "/v1\\.0/me/mailFolders/([^/]+)/messages",
                (req, base) -> list(req.rawPath().split("/")[4], req));
        graph.onMatching("GET", "/v1\\.0/me/messages/([^/]+)", (req, base) -> {
            ObjectNode m = messages.get(lastSegment(req));
            return m == null ? notFound() : FakeResponse.ok(selected(m, req).toString());
        });
        graph.onMatching("DELETE", "/v1\\.0/me/messages/([^/]+)", (req, base) ->
                messages.remove(lastSegment(req)) == null ? notFound() : FakeResponse.noContent());
        graph.on("POST", v + "/me/sendMail", (req, base) -> {
            JsonNode body = JsonText.MAPPER.readTree(req.body());
            if (!body.path("message").isObject()) {
                return FakeResponse.error(400, "ErrorInvalidRequest", "The 'message' property is required.");
            }
            sent.add(body);
            return FakeResponse.accepted();
        });
    }

    private FakeResponse list(String folder, RecordedRequest req) {
        String top = req.query().get("$top");
        List<ObjectNode> items = messages.values().stream()
                .filter(m -> folder == null || folder.equals(m.path("parentFolderId").asString()))
                .sorted((a, b) -> b.path("receivedDateTime").asString().compareTo(a.path("receivedDateTime").asString()))
                .limit(top == null ? Long.MAX_VALUE : Long.parseLong(top))
                .toList();
        ObjectNode out = JsonText.MAPPER.createObjectNode();
        out.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#users('demo')/messages");
        out.putArray("value").addAll(items.stream().map(m -> selected(m, req)).toList());
        return FakeResponse.ok(out.toString());
    }

    /** Like Graph: with {@code $select}, only those properties, plus {@code id} and {@code @odata.etag}. */
    private static ObjectNode selected(ObjectNode message, RecordedRequest req) {
        String select = req.query().get("$select");
        if (select == null || select.isBlank()) {
            return message;
        }
        java.util.Set<String> keep = new java.util.HashSet<>(List.of("id", "@odata.etag"));
        for (String name : select.split(",")) {
            keep.add(name.strip());
        }
        ObjectNode out = JsonText.MAPPER.createObjectNode();
        message.properties().forEach(e -> {
            if (keep.contains(e.getKey())) {
                out.set(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    private static String lastSegment(RecordedRequest req) {
        String p = req.rawPath();
        return java.net.URLDecoder.decode(p.substring(p.lastIndexOf('/') + 1), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static FakeResponse notFound() {
        return FakeResponse.error(404, "ErrorItemNotFound", "The specified object was not found in the store.");
    }

    /** Runs a FakeGraph with the demo mailbox until killed; prints the URL to use as MS365_MCP_GRAPH_URL. */
    public static void main(String[] args) throws InterruptedException {
        FakeGraph graph = FakeGraph.start();
        install(graph);
        System.out.println("FakeGraph with demo mailbox at " + graph.url());
        System.out.println("Try: MS365_MCP_GRAPH_URL=" + graph.url() + " MS365_MCP_OAUTH_TOKEN=demo java -jar launcher-stdio/target/ms365-mcp-stdio.jar");
        Thread.currentThread().join();
    }
}
