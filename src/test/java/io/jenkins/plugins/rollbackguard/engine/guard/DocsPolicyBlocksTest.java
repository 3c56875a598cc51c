package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.jenkins.plugins.rollbackguard.conventions.DocBlocks;

/**
 * Docs that cannot rot, for policies: every block of docs/*.md and README.md marked {@code policy}
 * ({@code ```yaml policy}, or {@code ```yaml policy backups} / {@code ```yaml policy probes} for one item of that
 * list) is read by the real {@link PolicyReader} and is valid by docs/policy.schema.json; a block that looks like a
 * policy (a top-level {@code probes:}, {@code backups:} or {@code environment:}) and is not marked fails, so an
 * example cannot escape the check by its fence. The convention is written in docs/policy.md.
 */
class DocsPolicyBlocksTest {
    /** A top-level key of a policy, in YAML or JSON. */
    private static final Pattern LOOKS_LIKE_A_POLICY = Pattern.compile(
            "(?m)^(probes|backups|environment)\\s*:|\"(probes|backups|environment)\"\\s*:");
    /** The lists whose single items a block may show. */
    private static final List<String> ITEM_LISTS = List.of("probes", "backups");

    @Test
    void shouldReadEveryPolicyBlockOfTheDocs() {
        List<DocBlocks.Block> blocks = DocBlocks.of(PolicyReaderFuzzTest.projectRoot());
        List<DocBlocks.Block> policies = blocks.stream().filter(b -> b.marked(DocBlocks.POLICY)).toList();
        System.out.printf("docs blocks: %d, marked policy: %d%n", blocks.size(), policies.size());
        assertThat(policies).as("policy blocks in the docs").hasSizeGreaterThanOrEqualTo(10);
        assertThat(policies.stream().filter(b -> b.marks().size() == 1)).as("whole policies").hasSizeGreaterThanOrEqualTo(7);
        assertThat(problems(blocks)).isEmpty();
    }

    @Test
    void shouldRefuseABrokenOrUnmarkedExample() {
        // The freestyle example docs/ui.md had: a postgres backup with a name and no host, database or user.
        String markdown = """
                ```yaml policy
                environment: production
                backups:
                  - type: postgres
                    name: shop-db
                ```

                ```yaml
                probes:
                  - {type: http, name: health, url: 'https://shop.example.com/health'}
                ```

                ```yaml policy backups
                type: files
                path: relative/path
                ```

                ```yaml
                unclassified:
                  rollbackGuard: {}
                ```
                """;
        List<String> problems = problems(DocBlocks.parse("broken.md", markdown));
        assertThat(problems).hasSize(3);
        assertThat(problems.get(0)).startsWith("broken.md:1: the reader refuses it: broken.md:1.yaml: backups[0]: host:");
        assertThat(problems.get(1)).isEqualTo("broken.md:8: looks like a policy (a top-level probes:, backups: or"
                + " environment:) but is not marked; write ```yaml policy so that it is tested");
        assertThat(problems.get(2)).startsWith("broken.md:13: the reader refuses it:").contains("path");
    }

    /** @return one line per block that breaks the convention */
    static List<String> problems(final List<DocBlocks.Block> blocks) {
        PolicyReader reader = new PolicyReader();
        List<String> problems = new ArrayList<>();
        for (DocBlocks.Block block : blocks) {
            if (!block.marked(DocBlocks.POLICY)) {
                if (List.of("", "yaml", "yml", "json").contains(block.language())
                        && LOOKS_LIKE_A_POLICY.matcher(block.text()).find()) {
                    problems.add(block.where() + ": looks like a policy (a top-level probes:, backups: or environment:)"
                            + " but is not marked; write ```yaml policy so that it is tested");
                }
                continue;
            }
            String text = policyText(block, problems);
            if (text == null) {
                continue;
            }
            String source = block.where() + (block.language().equals("json") ? ".json" : ".yaml");
            try {
                reader.parse(source, text);
            }
            catch (PolicyException e) {
                problems.add(block.where() + ": the reader refuses it: " + e.getMessage());
                continue;
            }
            try {
                List<String> errors = PolicySchemaTest.SchemaCheck.errors(text, source);
                if (!errors.isEmpty()) {
                    problems.add(block.where() + ": the schema refuses it: " + errors);
                }
            }
            catch (IOException e) {
                problems.add(block.where() + ": the schema's parser cannot read it: " + e.getMessage());
            }
        }
        return problems;
    }

    /** @return the policy a block shows: itself, or its one item put in a policy of the docs' environment */
    private static String policyText(final DocBlocks.Block block, final List<String> problems) {
        List<String> marks = block.marks();
        int at = marks.indexOf(DocBlocks.POLICY);
        if (at == marks.size() - 1) {
            return block.text();
        }
        String list = marks.get(at + 1);
        if (!ITEM_LISTS.contains(list) || block.language().equals("json")) {
            problems.add(block.where() + ": 'policy " + list + "' is not a mark; write ```yaml policy, or ```yaml policy"
                    + " probes / ```yaml policy backups for one item of that list");
            return null;
        }
        return "environment: docs-example\n" + list + ":\n  - " + block.text().strip().replace("\n", "\n    ") + "\n";
    }
}
