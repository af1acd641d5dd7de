package dev.ms365mcp.tools.teams;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * jsoup and commonmark-java stay off the start-up path: building the tools and listing them loads neither;
 * the first Teams message read does. Run in a class loader of its own, so other tests cannot have loaded them.
 */
class LazyLibrariesTest {

    /** A fresh loader over the test class path that can say what it has loaded. */
    private static final class Isolated extends URLClassLoader {
        Isolated(URL[] urls) {
            super(urls, ClassLoader.getPlatformClassLoader());
        }

        boolean loaded(String name) {
            return findLoadedClass(name) != null;
        }
    }

    @Test
    void startUpLoadsNeitherLibraryAndTheFirstMessageDoes() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(new File(entry).toURI().toURL());
        }
        try (Isolated loader = new Isolated(urls.toArray(URL[]::new))) {
            Object token = loader.loadClass("dev.ms365mcp.auth.StaticTokenProvider").getConstructor(String.class)
                    .newInstance("t");
            Class<?> tools = loader.loadClass("dev.ms365mcp.tools.Ms365Tools");
            Object builder = tools.getMethod("builder").invoke(null);
            builder.getClass().getMethod("tokenProvider", loader.loadClass("dev.ms365mcp.auth.TokenProvider"))
                    .invoke(builder, token);
            Object built = builder.getClass().getMethod("build").invoke(builder);
            assertThat((List<?>) tools.getMethod("syncToolSpecifications").invoke(built)).isNotEmpty();

            assertThat(loader.loaded("dev.ms365mcp.tools.execution.TeamsMessages")).as("the executor is built").isTrue();
            assertThat(loader.loaded("org.jsoup.Jsoup")).isFalse();
            assertThat(loader.loaded("org.commonmark.parser.Parser")).isFalse();

            Object text = loader.loadClass("dev.ms365mcp.tools.execution.TeamsMessages")
                    .getMethod("toText", String.class, Map.class).invoke(null, "<p>Hi</p>", Map.of());
            assertThat(text).isEqualTo("Hi");
            assertThat(loader.loaded("org.jsoup.Jsoup")).isTrue();
        }
    }
}
