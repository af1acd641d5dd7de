package dev.ms365mcp.tools.execution;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The one local folder tools read from and write into ({@code MS365_MCP_FILES_DIR}, alias
 * {@code MS365_MCP_DOWNLOAD_DIR}): a name or relative path inside it (an absolute path only if it is
 * inside), no {@code ..}, no symbolic link leading out. Content Graph controls never lands in
 * ~/.bashrc, and a model cannot upload ~/.ssh/id_rsa. The folder is created (mode 0700) on first use.
 */
public final class FilesFolder {

    /** One regular file in the folder, as listed. */
    public record Entry(String name, long size, java.time.Instant modified) {
    }

    private final Path folder;

    public FilesFolder(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    /** Without {@code MS365_MCP_FILES_DIR}: a folder of its own under the user's home. */
    public static Path defaultFolder() {
        return Path.of(System.getProperty("user.home"), "Downloads", "ms365-mcp");
    }

    /**
     * The folder the environment names: {@code MS365_MCP_FILES_DIR}, else its older name
     * {@code MS365_MCP_DOWNLOAD_DIR}, else {@link #defaultFolder()}.
     */
    public static Path fromEnvironment(java.util.Map<String, String> env) {
        for (String name : List.of("MS365_MCP_FILES_DIR", "MS365_MCP_DOWNLOAD_DIR")) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) {
                return Path.of(v.strip());
            }
        }
        return defaultFolder();
    }

    public Path path() {
        return folder;
    }

    /** A new file to write: inside the folder, its parent existing, the file not (never overwritten). */
    Path newFile(Object argument, String argName) {
        Path target = resolve(argument, argName, "downloaded");
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidArgumentException(folder.relativize(folder.resolve(target.getFileName())) + " already "
                    + "exists in the files folder and is never overwritten. Choose a new file name. Nothing was downloaded.");
        }
        return target;
    }

    /** An existing regular file to read, reached without a symbolic link leading out of the folder. */
    Path existingFile(Object argument, String argName) {
        Path target = resolve(argument, argName, "uploaded");
        Path real;
        try {
            real = target.toRealPath();
        } catch (IOException e) {
            throw new InvalidArgumentException("There is no file '" + argument + "' in the files folder " + folder
                    + "; call list-local-files to see what is there. Nothing was uploaded.");
        }
        if (!real.startsWith(createdFolder())) {
            throw new InvalidArgumentException(argName + " leads out of the files folder " + folder
                    + " through a symbolic link. Nothing was uploaded.");
        }
        if (!Files.isRegularFile(real)) {
            throw new InvalidArgumentException("'" + argument + "' is not a file. Nothing was uploaded.");
        }
        return real;
    }

    /** The folder's regular files (not below sub-folders, no links), newest first. */
    public List<Entry> list() throws IOException {
        Path real = createdFolder();
        List<Entry> out = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(real)) {
            for (Path p : dir) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isRegularFile()) {
                    out.add(new Entry(p.getFileName().toString(), a.size(), a.lastModifiedTime().toInstant()));
                }
            }
        }
        out.sort(Comparator.comparing(Entry::modified).reversed());
        return out;
    }

    private Path resolve(Object argument, String argName, String verb) {
        String nothing = " Nothing was " + verb + ".";
        if (!(argument instanceof String s) || s.isBlank()) {
            throw new InvalidArgumentException("Missing required argument '" + argName + "' (a file name inside the "
                    + "files folder " + folder + ")." + nothing);
        }
        Path asked;
        try {
            asked = Path.of(s.strip());
        } catch (InvalidPathException e) {
            throw new InvalidArgumentException(argName + " is not a valid file name." + nothing);
        }
        for (Path part : asked) {
            if (part.toString().equals("..")) {
                throw new InvalidArgumentException(argName + " may not contain '..': tools use files only inside the "
                        + "files folder " + folder + "." + nothing);
            }
        }
        Path file = (asked.isAbsolute() ? asked : folder.resolve(asked)).normalize();
        if (!file.startsWith(folder) || file.equals(folder)) {
            throw new InvalidArgumentException(argName + " must be a file inside the files folder " + folder
                    + " (MS365_MCP_FILES_DIR), e.g. 'report.pdf'; got '" + s + "'." + nothing);
        }
        Path realFolder = createdFolder();
        Path parent;
        try {
            parent = file.getParent().toRealPath();
        } catch (IOException e) {
            throw new InvalidArgumentException("The folder " + file.getParent() + " does not exist; only the files "
                    + "folder itself is created." + nothing);
        }
        if (!parent.startsWith(realFolder)) {
            throw new InvalidArgumentException(argName + " leads out of the files folder " + folder
                    + " through a symbolic link." + nothing);
        }
        return parent.resolve(file.getFileName().toString());
    }

    /** The folder's real path, creating it private to the user when it does not exist. */
    private Path createdFolder() {
        try {
            if (!Files.isDirectory(folder)) {
                if (folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(folder);
                }
            }
            return folder.toRealPath();
        } catch (IOException e) {
            String why = e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileSystemException f && f.getReason() != null
                            ? f.getReason().toLowerCase(Locale.ROOT) : "it cannot be written";
            throw new InvalidArgumentException("The files folder " + folder + " cannot be created (" + why
                    + "); set MS365_MCP_FILES_DIR to a writable folder.");
        }
    }
}
