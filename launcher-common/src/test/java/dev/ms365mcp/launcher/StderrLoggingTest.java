package dev.ms365mcp.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Logging set-up shared by the launchers: stderr only (stdout is the protocol), level from LOG_LEVEL. */
class StderrLoggingTest {

    @AfterEach
    void clear() {
        System.clearProperty("LOG_LEVEL");
    }

    private static LoggerContext configured(String level) {
        System.setProperty("LOG_LEVEL", level);
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // as logback's own start-up does
        StderrLogging logging = new StderrLogging();
        logging.setContext(context);
        logging.configure(context);
        return context;
    }

    @Test
    void theOnlyAppenderWritesToStderrAtTheConfiguredLevel() {
        LoggerContext context = configured("debug");
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.DEBUG);
        var appenders = new java.util.ArrayList<ch.qos.logback.core.Appender<?>>();
        root.iteratorForAppenders().forEachRemaining(appenders::add);
        assertThat(appenders).singleElement().isInstanceOfSatisfying(ConsoleAppender.class,
                a -> assertThat(a.getTarget()).isEqualTo("System.err"));
        assertThat(context.getLogger("io.modelcontextprotocol").getLevel()).as("debug keeps SDK detail").isNull();
    }

    @Test
    void atInfoTheSdksPerRequestDetailIsHeldBack() {
        LoggerContext context = configured("info");
        assertThat(context.getLogger("io.modelcontextprotocol").getLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void aLineHasTimeLevelShortLoggerNameAndMessage() {
        LoggerContext context = configured("info");
        StderrLogging.Line line = new StderrLogging.Line();
        line.setContext(context);
        LoggingEvent e = new LoggingEvent("x", context.getLogger("dev.ms365mcp.stdio.StdioMain"), Level.WARN,
                "cache {} read-only", null, new Object[] {"c.bin"});
        assertThat(line.doLayout(e)).matches("\\d{2}:\\d{2}:\\d{2}\\.\\d{3} WARN  StdioMain - cache c.bin read-only\\R");
    }
}
