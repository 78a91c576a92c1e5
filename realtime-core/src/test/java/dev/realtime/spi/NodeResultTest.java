package dev.realtime.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Node's JUnit report read back, including the terminal colour codes node leaves in failure messages. */
class NodeResultTest {

    @Test
    void aFailureMessageWithColourCodesIsReadWithoutThem(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.xml");
        Files.writeString(report, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<testsuites>\n"
                + "<testcase name=\"passes\" time=\"0.1\"/>\n"
                + "<testcase name=\"fails\" time=\"0.2\"><failure message=\"expected \u001b[32mvisible\u001b[39m\">"
                + "Error: \u001b[31mtimeout\u001b[39m &#x1b;[2mwaiting&#x1b;[22m</failure></testcase>\n"
                + "<testcase name=\"skipped\"><skipped message=\"no chromium\"/></testcase>\n</testsuites>\n");
        List<NodeResult> results = NodeResult.parse(report);
        assertThat(results).extracting(NodeResult::name).containsExactly("passes", "fails", "skipped");
        assertThat(results.get(0).failure()).isNull();
        assertThat(results.get(1).failure()).contains("expected visible").contains("Error: timeout waiting")
                .doesNotContain("\u001b");
        assertThat(results.get(2).skipped()).isEqualTo("no chromium");
    }
}
