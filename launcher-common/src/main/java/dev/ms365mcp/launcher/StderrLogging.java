package dev.ms365mcp.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * Logback, set up in code (found through {@code META-INF/services}): one appender to stderr — stdout
 * is the MCP protocol channel — at the level in the {@code LOG_LEVEL} system property or
 * environment variable (default info). Code instead of logback.xml keeps the XML parser and pattern
 * compiler off the start-up path. {@code LOG_FORMAT=json} writes one JSON object per line (logback's
 * own {@link JsonEncoder}: time, level, logger, MDC such as the HTTP request id, message) for log collectors.
 */
public final class StderrLogging extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("stderr");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder(context, setting("LOG_FORMAT", "text")));
        stderr.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(stderr);
        addLogFile(context, root, setting("MS365_MCP_LOG_DIR", null));
        Level level = Level.toLevel(level(), Level.INFO);
        root.setLevel(level);
        if (level.isGreaterOrEqual(Level.INFO)) {
            // The SDK logs every initialize at INFO with whole records; that is debug detail here.
            context.getLogger("io.modelcontextprotocol").setLevel(Level.toLevel("warn"));
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Text lines, or JSON lines for {@code json}. */
    public static Encoder<ILoggingEvent> encoder(LoggerContext context, String format) {
        if ("json".equalsIgnoreCase(format.strip())) {
            JsonEncoder json = new JsonEncoder();
            json.setContext(context);
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.setWithArguments(false);
            json.setWithMessage(false);
            json.setWithFormattedMessage(true);
            json.setWithKVPList(false);
            json.start();
            return json;
        }
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        Line layout = new Line();
        layout.setContext(context);
        layout.start();
        encoder.setLayout(layout);
        encoder.start();
        return encoder;
    }

    /**
     * {@code MS365_MCP_LOG_DIR}: the same lines also go to {@code mcp-server.log} there (the reference's
     * name), rotated by size (10 MB, 5 old files). Logs may name accounts and paths, so the directory
     * is made 0700 and every log file, rotated ones included, 0600.
     */
    static void addLogFile(LoggerContext context, ch.qos.logback.classic.Logger root, String dir) {
        if (dir == null || dir.isBlank()) {
            return;
        }
        Path directory = Path.of(dir.strip()).toAbsolutePath();
        try {
            SecureLogFiles.createPrivateDirectory(directory);
        } catch (IOException | RuntimeException e) {
            System.err.println("ms365-mcp: cannot use MS365_MCP_LOG_DIR " + directory + " (" + e.getMessage()
                    + "); logging to stderr only");
            return;
        }
        SecureLogFiles.RollingAppender file = new SecureLogFiles.RollingAppender();
        file.setContext(context);
        file.setName("file");
        file.setFile(directory.resolve("mcp-server.log").toString());
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(file);
        rolling.setFileNamePattern(directory.resolve("mcp-server.%i.log").toString());
        rolling.setMinIndex(1);
        rolling.setMaxIndex(5);
        rolling.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(FileSize.valueOf(System.getProperty("ms365mcp.logFileSize", "10MB")));
        // Look at the size at most once a second (logback's default is once a minute).
        trigger.setCheckIncrement(ch.qos.logback.core.util.Duration.buildBySeconds(1));
        trigger.start();
        file.setRollingPolicy(rolling);
        file.setTriggeringPolicy(trigger);
        file.setEncoder(encoder(context, setting("LOG_FORMAT", "text")));
        file.start();
        root.addAppender(file);
    }

    private static String level() {
        return setting("LOG_LEVEL", "info");
    }

    private static String setting(String name, String dflt) {
        String v = System.getProperty(name);
        return v != null ? v : System.getenv().getOrDefault(name, dflt);
    }

    /** {@code 12:30:01.123 INFO  McpAsyncServer [request id] - message}, plus the stack trace if any. */
    static final class Line extends LayoutBase<ILoggingEvent> {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

        @Override
        public String doLayout(ILoggingEvent e) {
            String logger = e.getLoggerName();
            StringBuilder sb = new StringBuilder(128)
                    .append(LocalTime.now().format(TIME)).append(' ')
                    .append(String.format("%-5s", e.getLevel())).append(' ')
                    .append(logger.substring(logger.lastIndexOf('.') + 1));
            String requestId = e.getMDCPropertyMap().get("requestId");
            if (requestId != null) {
                sb.append(" [").append(requestId).append(']');
            }
            sb.append(" - ")
                    .append(e.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
            if (e.getThrowableProxy() != null) {
                sb.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append(CoreConstants.LINE_SEPARATOR);
            }
            return sb.toString();
        }
    }
}
