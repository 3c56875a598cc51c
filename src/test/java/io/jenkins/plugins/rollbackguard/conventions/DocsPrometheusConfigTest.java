package io.jenkins.plugins.rollbackguard.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.rollbackguard.engine.testing.PrometheusServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Prometheus configuration of the docs, a fenced block of docs/*.md opened by exactly {@code ```yaml
 * prometheus}, is a whole configuration file that {@code promtool check config} (Debian's package
 * {@code prometheus}) accepts: a scrape timeout above its interval, a misspelt key or a lone scrape job fails,
 * naming the doc, the block's line and promtool's message. Fails when promtool is missing, unless
 * {@code rollbackguard.allowMissingServers=true}.
 */
class DocsPrometheusConfigTest {
    /** Reads the Markdown files of another directory than the project's docs (relative to the project root). */
    static final String DOCS_PROPERTY = "rollbackguard.docsDir";
    /** Names another promtool (a path, or a name looked up on the PATH); default {@code promtool}. */
    static final String PROMTOOL_PROPERTY = "rollbackguard.promtool";

    private static final List<String> INFO = List.of("yaml", "prometheus");

    @Test
    void shouldHaveEveryPrometheusConfigurationOfTheDocsAcceptedByPromtool(@TempDir final Path work) {
        Path docs = docs();
        List<DocBlocks.Block> blocks = blocks(docs);

        System.out.printf("```yaml prometheus blocks in %s: %d%n", docs, blocks.size());
        assertThat(blocks).as("```yaml prometheus blocks in %s", docs).isNotEmpty();
        assertThat(problems(blocks, work)).isEmpty();
    }

    @Test
    void shouldNameTheDocTheLineAndPromtoolsMessageOfABadConfiguration(@TempDir final Path work) throws IOException {
        Path docs = Files.createDirectory(work.resolve("docs"));
        Files.writeString(docs.resolve("health.md"), """
                A good one:

                ```yaml prometheus
                global:
                  scrape_interval: 15s
                scrape_configs:
                  - job_name: shop-counters
                    scrape_interval: 250ms
                    scrape_timeout: 200ms
                    static_configs:
                      - targets: ['shop:8080']
                ```

                A timeout above the interval:

                ```yaml prometheus
                global:
                  scrape_interval: 15s
                scrape_configs:
                  - job_name: shop-counters
                    scrape_interval: 250ms
                    scrape_timeout: 1s
                    static_configs:
                      - targets: ['shop:8080']
                ```

                Not marked exactly so, so not checked:

                ```yaml
                scrape_timeout: nonsense
                ```

                ```yaml prometheus rules
                groups: nonsense
                ```
                """);

        List<DocBlocks.Block> blocks = blocks(docs);

        assertThat(blocks).extracting(DocBlocks.Block::line).containsExactly(3, 16);
        assertThat(problems(blocks, work)).singleElement().asString().startsWith("docs/health.md:16: ")
                .endsWith("scrape timeout greater than scrape interval for scrape config with job name \"shop-counters\"");
    }

    /** @return the docs directory: {@link #DOCS_PROPERTY} (relative to the project root), else the project's docs */
    private static Path docs() {
        String configured = System.getProperty(DOCS_PROPERTY, "");
        return ProjectFiles.locate().root().resolve(configured.isBlank() ? "docs" : configured).normalize();
    }

    /** @return the blocks opened by exactly {@code ```yaml prometheus} in the directory's Markdown files */
    static List<DocBlocks.Block> blocks(final Path docs) {
        List<DocBlocks.Block> blocks = new ArrayList<>();
        for (Path file : ProjectFiles.list(docs, ".md")) {
            String name = docs.getFileName() + "/" + docs.relativize(file).toString().replace('\\', '/');
            DocBlocks.parse(name, ProjectFiles.read(file)).stream().filter(b -> b.info().equals(INFO))
                    .forEach(blocks::add);
        }
        return blocks;
    }

    /** @return one problem per block that promtool refuses: where it is and what promtool said */
    static List<String> problems(final List<DocBlocks.Block> blocks, final Path work) {
        String promtool = System.getProperty(PROMTOOL_PROPERTY, "promtool");
        PrometheusServer.requireInstalled(promtool);
        List<String> problems = new ArrayList<>();
        for (DocBlocks.Block block : blocks) {
            Path config = work.resolve("block-" + problems.size() + "-" + block.line() + ".yml");
            try {
                Files.writeString(config, block.text(), StandardCharsets.UTF_8);
                Process process = new ProcessBuilder(promtool, "check", "config", config.toString())
                        .redirectErrorStream(true).start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    problems.add(block.where() + ": promtool check config did not finish in 30 s");
                }
                else if (process.exitValue() != 0) {
                    problems.add(block.where() + ": promtool check config: " + said(output, config));
                }
            }
            catch (IOException e) {
                throw new UncheckedIOException("Cannot run " + promtool + " for " + block.where(), e);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted checking " + block.where(), e);
            }
        }
        return problems;
    }

    /** @return promtool's answer on one line, without its "Checking FILE" and with the temporary file named "the block" */
    private static String said(final String output, final Path config) {
        return Stream.of(output.split("\n")).map(String::strip).filter(line -> !line.isEmpty())
                .filter(line -> !line.startsWith("Checking ")).map(line -> line.replace(config.toString(), "the block"))
                .collect(Collectors.joining(" "));
    }
}
