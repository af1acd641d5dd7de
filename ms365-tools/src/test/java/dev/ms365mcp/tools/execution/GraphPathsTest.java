package dev.ms365mcp.tools.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ms365mcp.tools.catalog.Catalog;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Paths written as paths: drive items by name, whole Graph paths, and the scopes their endpoints need. */
class GraphPathsTest {

    @Test
    void itemPathsEncodeEachNameOnItsOwn() {
        assertThat(GraphPaths.isItemPath("01ABC")).isFalse();
        assertThat(GraphPaths.isItemPath("A/B?c")).isFalse();
        assertThat(GraphPaths.isItemPath("/x")).isTrue();
        assertThat(GraphPaths.isItemPath("root:/x")).isTrue();
        assertThat(GraphPaths.itemPath("/a b/c+d;e'f.txt", "id")).isEqualTo("root:/a%20b/c%2Bd%3Be%27f.txt:");
        assertThat(GraphPaths.itemPath("root:/Docs/", "id")).isEqualTo("root:/Docs:");
        assertThat(GraphPaths.itemPath("01!AB:/x:y", "id")).isEqualTo("01%21AB:/x%3Ay:");
        assertThatThrownBy(() -> GraphPaths.itemPath("/a/../b", "id")).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void targetsAreReadAsPathsBelowTheVersionRoot() {
        GraphPaths.Target t = GraphPaths.target("v1.0/me/drive/items/a%2Fb/content?format=pdf&x=1+2", u -> false, "target");
        assertThat(t.version()).isEqualTo("v1.0");
        assertThat(t.encodedPath()).isEqualTo("me/drive/items/a%2Fb/content");
        assertThat(t.query()).isEqualTo(Map.of("format", "pdf", "x", "1+2"));
        assertThat(GraphPaths.target("/me/photos/48x48/$value", u -> false, "t").encodedPath()).isEqualTo("me/photos/48x48/$value");
        assertThatThrownBy(() -> GraphPaths.target("https://graph.microsoft.com/v1.0/me", u -> false, "t"))
                .hasMessageContaining("must stay on Microsoft Graph");
        assertThat(GraphPaths.target("https://graph.microsoft.com/beta/me", u -> u.equals(URI.create("https://graph.microsoft.com/beta/me")), "t"))
                .isEqualTo(new GraphPaths.Target("beta", "me", Map.of()));
        assertThatThrownBy(() -> GraphPaths.target("/me/%2E%2E/users", u -> false, "t")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> GraphPaths.target("/me?bad name=1", u -> false, "t")).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void decodingOnlyReadsWellFormedEscapes() {
        assertThat(GraphPaths.decode("a%20b%zz%4")).isEqualTo("a b%zz%4");
        assertThat(GraphPaths.decode("%C3%A9+")).isEqualTo("é+");
    }

    @Test
    void resourceSegmentsSkipNamesAddressedByPath() {
        assertThat(GraphPaths.resourceSegments("drives/d/root:/a/b.txt:/content")).containsExactly("drives", "d", "root", "content");
        assertThat(GraphPaths.resourceSegments("me/drive/root:/a.txt")).containsExactly("me", "drive", "root");
    }

    @Test
    void targetScopesComeFromTheLongestMatchingRowOfTheSameMethod() {
        TargetScopes scopes = new TargetScopes(Catalog.builtIn().tools());
        assertThat(scopes.of("GET", "v1.0/drives/d/items/i/thumbnails")).isEqualTo(List.of("Files.Read"));
        assertThat(scopes.of("PUT", "/drives/d/items/root:/x.txt:/content")).isEqualTo(List.of("Files.ReadWrite"));
        assertThat(scopes.of("GET", "/drives/d/search(q='x')")).isEqualTo(List.of("Files.Read"));
        assertThat(scopes.of("DELETE", "/me/messages/m1")).isEqualTo(List.of("Mail.ReadWrite"));
        assertThat(scopes.of("GET", "/unknown/thing")).isEqualTo(TargetScopes.FALLBACK);
    }
}
