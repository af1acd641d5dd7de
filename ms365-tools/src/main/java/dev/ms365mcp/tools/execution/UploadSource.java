package dev.ms365mcp.tools.execution;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The bytes of one upload, read a chunk at a time: a local file (read at any offset, so an upload
 * session can resume anywhere) or a stream of known length arriving over HTTP (read once, in order;
 * the last chunk is kept, so a resume that asks for any part of it again can be served).
 */
public abstract sealed class UploadSource implements Closeable {

    /** The file's name, the default name of what is created. */
    abstract String name();

    abstract long size();

    /**
     * {@code length} bytes from {@code offset} in {@code buffer} (the same array when {@code length} is its
     * size, else a copy).
     */
    abstract byte[] chunk(long offset, byte[] buffer, int length) throws IOException;

    /** What was wrong with the bytes as sent (too few, too many), or null: for the sender, in words. */
    public String problem() {
        return null;
    }

    /** Everything, for the small-file paths (at most a few MB). */
    byte[] all() throws IOException {
        return chunk(0, new byte[Math.toIntExact(size())], Math.toIntExact(size()));
    }

    static UploadSource of(Path file) throws IOException {
        return new LocalFile(file, Files.size(file));
    }

    /**
     * {@code length} bytes read from {@code in}; fewer is an error (the sender stopped), and so are more (it
     * sent beyond what it declared).
     */
    public static UploadSource of(InputStream in, long length, String name) {
        return new Stream(in, length, name);
    }

    private static final class LocalFile extends UploadSource {
        private final Path file;
        private final long size;
        private FileChannel channel;

        LocalFile(Path file, long size) {
            this.file = file;
            this.size = size;
        }

        @Override
        String name() {
            return file.getFileName().toString();
        }

        @Override
        long size() {
            return size;
        }

        @Override
        byte[] chunk(long offset, byte[] buffer, int length) throws IOException {
            if (channel == null) {
                channel = FileChannel.open(file, StandardOpenOption.READ);
            }
            ByteBuffer target = ByteBuffer.wrap(buffer, 0, length);
            long at = offset;
            while (target.hasRemaining()) {
                int n = channel.read(target, at);
                if (n < 0) {
                    throw new IOException("the file got shorter while it was being uploaded");
                }
                at += n;
            }
            return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
        }

        @Override
        public void close() throws IOException {
            if (channel != null) {
                channel.close();
            }
        }
    }

    private static final class Stream extends UploadSource {
        private final InputStream in;
        private final long size;
        private final String name;
        /** Stream position: bytes read so far. */
        private long position;
        /** The last chunk handed out: where it starts in the upload and its bytes. */
        private long keptAt = -1;
        private byte[] kept = new byte[0];
        private volatile String problem;

        Stream(InputStream in, long size, String name) {
            this.in = in;
            this.size = size;
            this.name = name;
        }

        @Override
        String name() {
            return name;
        }

        @Override
        long size() {
            return size;
        }

        @Override
        byte[] chunk(long offset, byte[] buffer, int length) throws IOException {
            byte[] out = length == buffer.length ? buffer : new byte[length];
            int have = 0;
            if (offset != position) {
                // A resume: only bytes of the chunk still kept can be sent again.
                if (keptAt < 0 || offset < keptAt || offset > position) {
                    throw new IOException("the upload cannot go back to byte " + offset + " of a stream already read to "
                            + position);
                }
                have = (int) Math.min(length, position - offset);
                System.arraycopy(kept, (int) (offset - keptAt), out, 0, have);
            }
            while (have < length) {
                int n;
                try {
                    n = in.read(out, have, length - have);
                } catch (IOException e) {
                    problem = "the body ended after " + position + " of the " + size + " bytes declared";
                    throw e;
                }
                if (n < 0) {
                    problem = "the body ended after " + position + " of the " + size + " bytes declared";
                    throw new IOException(problem);
                }
                have += n;
                position += n;
            }
            if (position == size && readPastEnd()) {
                problem = "the body is longer than the " + size + " bytes declared";
                throw new IOException(problem);
            }
            // Kept by reference: a resume copies from it before the caller's buffer is read into again.
            keptAt = offset;
            kept = out;
            return out;
        }

        @Override
        public String problem() {
            return problem;
        }

        /** True when the stream has more than the declared length (a failure to read on is no more). */
        private boolean readPastEnd() {
            try {
                return in.read() >= 0;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
