package dev.ms365mcp.tools.selection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScopeCoverageTest {

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
        "Mail.Read,                 Mail.Read,                true",
        "Mail.ReadWrite,            Mail.Read,                true",
        "mail.readwrite,            Mail.Read,                true",
        "Mail.Read,                 Mail.ReadWrite,           false",
        "Files.ReadWrite.All,       Files.Read,               true",
        "Files.ReadWrite.All,       Files.Read.All,           true",
        "Files.Read,                Files.Read.All,           false",
        "Mail.ReadWrite.Shared,     Mail.Read.Shared,         true",
        "Mail.ReadWrite,            Mail.Read.Shared,         false",
        "Mail.Send,                 Mail.Send.Shared,         false",
        "Calendars.ReadWrite,       Contacts.Read,            false",
        "ChannelMessage.Read.All,   ChannelMessage.Send,      false",
        "User.Read.All,             User.Read,                true"})
    void hierarchy(String granted, String needed, boolean covered) {
        assertThat(new ScopeCoverage(Set.of(granted)).covers(needed)).isEqualTo(covered);
    }
}
