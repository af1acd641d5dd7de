package dev.ms365mcp.tools.safety;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one tool call did, filled in as the call runs and written as one audit line when it ends:
 * never arguments, bodies or tokens — only the Graph method and path template, the IDs in the path,
 * the recipients checked, and how it ended.
 */
public final class AuditEntry {

    final long startedNanos = System.nanoTime();
    final long startedMillis = System.currentTimeMillis();
    final String tool;
    String innerTool;
    String method;
    String path;
    final Map<String, String> targets = new LinkedHashMap<>();
    final List<String> steps = new ArrayList<>();
    final List<String> recipients = new ArrayList<>();
    String confirmation;
    String outcome;

    public AuditEntry(String tool) {
        this.tool = tool;
    }

    /** The tool actually run when it differs from the one called (discovery's execute-tool). */
    public void runs(String tool) {
        if (!tool.equals(this.tool)) {
            innerTool = tool;
        }
    }

    /** The Graph request: method, path template, and the values of its path placeholders (IDs). */
    public void request(String method, String pathTemplate, Map<String, String> pathValues) {
        this.method = method;
        this.path = pathTemplate;
        targets.putAll(pathValues);
    }

    /** A {@code $batch} step: method and URL below the version root, without its query. */
    public void step(String method, String url) {
        int q = url.indexOf('?');
        steps.add(method + " " + (q < 0 ? url : url.substring(0, q)));
    }

    void recipients(List<String> addresses) {
        addresses.stream().filter(a -> !recipients.contains(a)).forEach(recipients::add);
    }

    void confirmation(String decision) {
        this.confirmation = decision;
    }

    /** How the call ended when it did not simply succeed or fail: {@code refused}, {@code declined}... */
    void outcome(String outcome) {
        this.outcome = outcome;
    }

    /** Set by whoever ends the call unless a safety decision already did. */
    public void outcomeIfUnset(String outcome) {
        if (this.outcome == null) {
            this.outcome = outcome;
        }
    }
}
