package dev.ms365mcp.launcher;

import picocli.CommandLine;

/** How both launchers treat bad input: one line naming the program and what is wrong, exit status 2. */
public final class CommandLines {

    private CommandLines() {
    }

    public static CommandLine of(Object command, String program) {
        CommandLine cli = new CommandLine(command);
        cli.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println(program + ": " + e.getMessage() + " (see --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                commandLine.getErr().println(program + ": " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli;
    }
}
