package dev.ms365mcp.tools.execution;

import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A request body that is bytes (a file, a photo), given as base64 text — plain, URL-safe, or a
 * {@code data:<type>;base64,} URL whose type then becomes the content type.
 *
 * @param bytes       the decoded bytes, sent raw
 * @param contentType the data URL's media type, or {@code null} to keep the row's
 */
record BinaryBody(byte[] bytes, String contentType) {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern MEDIA_TYPE = Pattern.compile("[\\w.+-]+/[\\w.+-]+");

    static BinaryBody of(String tool, Object value) {
        if (!(value instanceof String text)) {
            throw new InvalidArgumentException("Argument 'body' of " + tool + " must be the content as base64 text.");
        }
        String data = WHITESPACE.matcher(text).replaceAll("");
        String type = null;
        if (data.startsWith("data:")) {
            int comma = data.indexOf(',');
            String meta = comma < 0 ? "" : data.substring("data:".length(), comma);
            if (!meta.endsWith(";base64")) {
                throw new InvalidArgumentException("Argument 'body' of " + tool + ": a data URL must be 'data:<type>;base64,<data>'.");
            }
            type = meta.substring(0, meta.length() - ";base64".length());
            type = MEDIA_TYPE.matcher(type).matches() ? type : null;
            data = data.substring(comma + 1);
        }
        byte[] bytes;
        try {
            bytes = (data.indexOf('-') >= 0 || data.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder())
                    .decode(data);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("Argument 'body' of " + tool + " is not valid base64 (" + e.getMessage()
                    + "). Encode the file's bytes as base64.");
        }
        if (bytes.length == 0) {
            throw new InvalidArgumentException("Argument 'body' of " + tool + " is empty; give the content as base64.");
        }
        return new BinaryBody(bytes, type);
    }
}
