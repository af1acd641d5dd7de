package dev.ms365mcp.tools.graph;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Where {@link GraphClient#stream} copies a successful answer's body: a file, or an HTTP response
 * on its way to the person who asked for the content.
 */
public interface ContentSink {

    /**
     * Called once Graph answered 2xx, before the body: sets what it needs from the status and headers
     * (lower-case names) and returns where the body goes. It is closed after the last byte.
     */
    OutputStream open(int status, Map<String, List<String>> headers) throws IOException;

    /** True once bytes may have left for the receiver: the exchange is then never repeated. */
    boolean opened();

    /**
     * The body did not arrive whole; what was written is incomplete. The stream {@link #open} returned is not
     * closed for it (closing an HTTP response's stream would end it as if complete): the sink decides.
     */
    default void abandon() {
    }
}
