package io.jenkins.plugins.rollbackguard.engine.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Tests the class {@link Masker}: plain values and the encoded forms a program is likely to print. */
class MaskerTest {
    private static final String SECRET = "s3cr/et+\"value\" & more=%";
    private static final Masker MASKER = Masker.of(List.of(Secret.of(SECRET)));

    @Test
    void shouldMaskThePlainValue() {
        assertThat(MASKER.mask("password is " + SECRET + ".")).isEqualTo("password is ****.");
    }

    @Test
    void shouldMaskUrlEncodedForms() {
        String form = URLEncoder.encode(SECRET, StandardCharsets.UTF_8);

        assertThat(MASKER.mask("GET /login?pw=" + form + "&x=1")).isEqualTo("GET /login?pw=****&x=1");
        assertThat(MASKER.mask("pw=" + form.replace("+", "%20"))).isEqualTo("pw=****");
    }

    @Test
    void shouldMaskJsonEscapedForms() {
        String json = SECRET.replace("\\", "\\\\").replace("\"", "\\\"");

        assertThat(MASKER.mask("{\"password\":\"" + json + "\"}")).isEqualTo("{\"password\":\"****\"}");
        assertThat(MASKER.mask("{\"password\":\"" + json.replace("/", "\\/") + "\"}")).isEqualTo("{\"password\":\"****\"}");
    }

    @Test
    void shouldMaskNonAsciiEscapesInEitherCase() {
        Masker masker = Masker.of(List.of(Secret.of("p\u00e4ssw\u00f6rd-42")));

        assertThat(masker.mask("{\"pw\":\"p\\u00e4ssw\\u00f6rd-42\"}")).isEqualTo("{\"pw\":\"****\"}");
        assertThat(masker.mask("{\"pw\":\"p\\u00E4ssw\\u00F6rd-42\"}")).isEqualTo("{\"pw\":\"****\"}");
        assertThat(masker.mask("pw=p%C3%A4ssw%C3%B6rd-42")).isEqualTo("pw=****");
    }

    @Test
    void shouldMaskBase64OfTheValueAndOfBasicAuthentication() {
        String plain = Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
        String basic = Base64.getEncoder().encodeToString(("admin:" + SECRET).getBytes(StandardCharsets.UTF_8));
        String url = Base64.getUrlEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));

        assertThat(MASKER.mask("x " + plain)).doesNotContain(plain).contains(Secret.MASK);
        assertThat(MASKER.mask("Authorization: Basic " + basic)).doesNotContain(basic)
                .startsWith("Authorization: Basic YWRtaW46").contains(Secret.MASK);
        assertThat(MASKER.mask(url)).doesNotContain(url);
    }

    /** Seeded: base64 of any text that holds a random secret at any offset leaves the secret's own characters masked. */
    @Test
    void shouldMaskASecretInsideAnyLongerBase64Text() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 500; i++) {
            byte[] secret = randomText(random, 8 + random.nextInt(40));
            byte[] before = randomText(random, random.nextInt(9));
            byte[] after = randomText(random, random.nextInt(9));
            byte[] all = new byte[before.length + secret.length + after.length];
            System.arraycopy(before, 0, all, 0, before.length);
            System.arraycopy(secret, 0, all, before.length, secret.length);
            System.arraycopy(after, 0, all, before.length + secret.length, after.length);
            String encoded = Base64.getEncoder().encodeToString(all);
            String core = encoded.substring((before.length * 8 + 5) / 6, (before.length + secret.length) * 8 / 6);

            String masked = Masker.of(List.of(Secret.of(new String(secret, StandardCharsets.US_ASCII)))).mask(encoded);

            assertThat(masked).as("seed %d", seed).doesNotContain(core).contains(Secret.MASK);
        }
    }

    @Test
    void shouldLeaveOrdinaryTextAndShortSecretsAlone() {
        Masker shortOnes = Masker.of(List.of(Secret.of("ab"), Secret.of("")));

        assertThat(shortOnes.isEmpty()).isTrue();
        assertThat(MASKER.mask("deploying shop 1.2 to production")).isEqualTo("deploying shop 1.2 to production");
        assertThat(MASKER.mask(null)).isNull();
    }

    @Test
    void shouldCombineMaskers() {
        Masker both = MASKER.with(Masker.of(List.of(Secret.of("other-token-123"))));

        assertThat(both.mask(SECRET + " other-token-123")).isEqualTo("**** ****");
        assertThat(Masker.none().with(MASKER)).isSameAs(MASKER);
        assertThat(MASKER.with(List.of()).size()).isEqualTo(MASKER.size());
    }

    private static byte[] randomText(final Random random, final int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (0x21 + random.nextInt(0x5e)); // printable ASCII
        }
        return bytes;
    }
}
