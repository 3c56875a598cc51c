package io.jenkins.plugins.rollbackguard.engine.spi;

import java.nio.file.Path;

/** A child process that writes a secret file, prints its path, and then either exits at once or waits to be killed. */
public final class SecretFileHolder {
    private SecretFileHolder() {
    }

    /**
     * Runs the holder.
     *
     * @param args
     *         {@code exit} to exit without closing the file, {@code wait} to wait until killed
     */
    public static void main(final String[] args) throws Exception {
        SecretFiles.SecretFile file = SecretFiles.write(".cnf", "[client]\npassword=\"s3cr3t-holder\"\n");
        System.out.println(file.path());
        System.out.flush();
        if ("exit".equals(args[0])) {
            System.exit(0); // the shutdown hook removes the directory
        }
        Thread.sleep(120_000);
    }

    static Process start(final Path temp, final String mode) throws java.io.IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + temp,
                "-cp", System.getProperty("java.class.path"), SecretFileHolder.class.getName(), mode)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
