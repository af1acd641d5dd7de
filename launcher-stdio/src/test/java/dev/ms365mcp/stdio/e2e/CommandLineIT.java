package dev.ms365mcp.stdio.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Flags and environment: help and version, and one clear line with a non-zero exit for bad input. */
class CommandLineIT {

    record Outcome(int exit, String out, String err) {
    }

    private static Outcome run(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(McpClientRun.java(), "-jar", System.getProperty("e2e.jar")));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("MS365_MCP_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Outcome(p.exitValue(), out, err);
    }

    @Test
    void helpAndVersion() throws Exception {
        Outcome help = run(Map.of(), "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--org-mode", "--read-only", "--enabled-tools");
        assertThat(help.out()).as("the variables that matter").contains("MS365_MCP_CLIENT_ID", "MS365_MCP_TENANT_ID",
                "MS365_MCP_TOKEN_CACHE_PATH", "MS365_MCP_ORG_MODE", "READ_ONLY", "ENABLED_TOOLS", "MS365_MCP_DOWNLOAD_DIR",
                "MS365_MCP_FILES_DIR",
                "README.md");
        Outcome version = run(Map.of(), "--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("ms365-mcp ");
    }

    @Test
    void listPermissionsPrintsTheScopesAsJson() throws Exception {
        Outcome o = run(Map.of(), "--list-permissions", "--preset", "mail");
        assertThat(o.exit()).isZero();
        JsonNode json = McpClientRun.JSON.readTree(o.out());
        assertThat(json.path("scopes").valueStream().map(JsonNode::asString).toList())
                .contains("Mail.Read", "Mail.Send").doesNotContain("Calendars.Read");
    }

    @Test
    void listPresetsNamesEveryPreset() throws Exception {
        Outcome o = run(Map.of(), "--list-presets", "--org-mode");
        assertThat(o.exit()).isZero();
        assertThat(o.out()).contains("mail", "calendar", "teams-write", "all", "org mode");
    }

    @Test
    void theReadmeListPermissionsExampleRunsFromTheRepositoryRootAsWritten() throws Exception {
        java.nio.file.Path root = java.nio.file.Path.of(System.getProperty("e2e.jar")).toAbsolutePath().getParent()
                .getParent().getParent();
        String example = java.nio.file.Files.readAllLines(root.resolve("README.md")).stream()
                .map(l -> java.util.regex.Pattern.compile("`(java -jar [^`]*--list-permissions)`").matcher(l))
                .filter(java.util.regex.Matcher::find).map(m -> m.group(1)).findFirst().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(example.split(" ")));
        cmd.set(0, McpClientRun.java());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("MS365_MCP_"));
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(example).isZero();
        assertThat(McpClientRun.JSON.readTree(out).path("scopes").toString()).contains("Mail.Read", "Chat.Read");
    }

    @Test
    void listPresetsCountsThePresetsOwnToolsAndNamesOrgMode() throws Exception {
        Outcome personal = run(Map.of(), "--list-presets");
        String teams = personal.out().lines().filter(l -> l.strip().startsWith("teams ")).findFirst().orElseThrow();
        assertThat(teams).contains("needs --org-mode").doesNotContain("1 tools");
        // Every search row is org-only: in org mode the preset counts exactly those rows.
        long searchRows = dev.ms365mcp.tools.catalog.Catalog.builtIn().tools().stream()
                .filter(t -> t.area().equals("search")).count();
        Outcome org = run(Map.of(), "--list-presets", "--org-mode");
        String search = org.out().lines().filter(l -> l.strip().startsWith("search ")).findFirst().orElseThrow();
        assertThat(search).contains(" " + searchRows + " tools");
        long mailRows = dev.ms365mcp.tools.catalog.Catalog.builtIn().tools().stream()
                .filter(t -> t.area().equals("mail") && !t.orgOnly()).count();
        assertThat(personal.out()).containsPattern("mail +" + mailRows + " tools");
    }

    @Test
    void aToolPatternThatMatchesNothingIsWarnedAbout() throws Exception {
        Outcome o = run(Map.of("ENABLED_TOOLS", "^mial-"), "--list-permissions");
        assertThat(o.exit()).isZero();
        assertThat(o.err()).contains("ENABLED_TOOLS '^mial-' matches no tool");
        assertThat(McpClientRun.JSON.readTree(o.out()).path("warning").asString()).contains("'^mial-'");
        Outcome flag = run(Map.of(), "--enabled-tools", "nothing-like-this", "--list-permissions");
        assertThat(flag.err()).contains("--enabled-tools 'nothing-like-this' matches no tool");
        assertThat(run(Map.of(), "--enabled-tools", "mail", "--list-permissions").err()).doesNotContain("matches no tool");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--no-such-flag        | Unknown option: '--no-such-flag'",
        "--enabled-tools=(mail | --enabled-tools is not a usable regular expression",
        "--preset=mail,emails  | Unknown preset 'emails'",
        "--cloud=mars          | Unknown cloud 'mars'"})
    void badFlagsGiveOneLineAndExitTwo(String flag, String message) throws Exception {
        Outcome o = run(Map.of(), flag);
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).contains(message).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(o.out()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "MS365_MCP_MAX_PAGES       | many  | MS365_MCP_MAX_PAGES must be a whole number",
        "MS365_MCP_OUTPUT_FORMAT   | yaml  | MS365_MCP_OUTPUT_FORMAT must be one of json, toon",
        "MS365_MCP_CLOUD_TYPE      | mars  | Unknown cloud 'mars'",
        "MS365_MCP_ORG_MODE        | maybe | MS365_MCP_ORG_MODE must be true or false"})
    void badEnvironmentValuesGiveOneLineAndExitTwo(String name, String value, String message) throws Exception {
        Outcome o = run(Map.of(name, value));
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err().strip()).contains(message).doesNotContain("Exception");
        assertThat(o.err().strip().lines().count()).isEqualTo(1);
        assertThat(o.out()).isEmpty();
    }
}
