package dev.realtime.spi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * One test of node's JUnit report ({@code --test-reporter=junit}).
 *
 * @param name    the Node test's name
 * @param failure why it failed or was cancelled, or null when it did not fail
 * @param skipped why it was skipped, or null when it ran
 */
public record NodeResult(String name, String failure, String skipped) {

    /** The tests of a report; a missing or empty report gives none (node's exit code still tells). */
    public static List<NodeResult> parse(Path report) throws Exception {
        List<NodeResult> results = new ArrayList<>();
        if (!Files.isRegularFile(report) || Files.size(report) == 0) {
            return results;
        }
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        // node writes failure messages as they are, terminal colour codes included, which XML 1.0 forbids
        String xml = Files.readString(report).replaceAll("(\\x1B|&#27;|&#x1[bB];)\\[[0-9;]*[A-Za-z]", "")
                .replaceAll("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]", "");
        NodeList cases = factory.newDocumentBuilder().parse(new org.xml.sax.InputSource(new java.io.StringReader(xml)))
                .getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element testcase = (Element) cases.item(i);
            NodeList failures = testcase.getElementsByTagName("failure");
            String failure = null;
            if (failures.getLength() > 0) {
                Element f = (Element) failures.item(0);
                failure = f.getAttribute("message") + System.lineSeparator() + f.getTextContent().strip();
            }
            NodeList skips = testcase.getElementsByTagName("skipped");
            String skipped = skips.getLength() == 0 ? null : ((Element) skips.item(0)).getAttribute("message");
            results.add(new NodeResult(testcase.getAttribute("name"), failure, skipped));
        }
        return results;
    }
}
