package dev.ms365mcp.launcher;

/** The running jar's version (its manifest's Implementation-Version), "dev" when run from classes. */
public final class Version {

    private Version() {
    }

    public static String of(Class<?> mainClass) {
        String v = mainClass.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
