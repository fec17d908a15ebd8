package dev.dagflow.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Which keys are secret, and what a redacted config looks like. */
class SecretKeysTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void keysMatchOnLettersAndDigitsIgnoringCaseAnywhereInTheName() {
    SecretKeys keys = SecretKeys.defaults();
    assertThat(keys.patterns())
        .containsExactly("password", "secret", "token", "apiKey", "credential");
    for (String key : new String[] {"password", "dbPassword", "DB_PASSWORD", "api_key",
        "X-API-KEY", "githubApiKey", "clientSecret", "accessToken", "maxTokens", "credentials",
        "api.key"}) {
      assertThat(keys.isSecret(key)).as(key).isTrue();
    }
    for (String key : new String[] {"host", "api", "key", "pass", "user", "tokn", ""}) {
      assertThat(keys.isSecret(key)).as(key).isFalse();
    }
  }

  @Test
  void valuesAreRedactedAtAnyDepthAndTheRestIsKept() {
    ObjectNode config = json("{'host':'h','password':'p1','nested':{'auth':{'token':'t1'},"
        + "'n':1},'list':[{'apiKey':{'id':'k','value':'v'}},'plain'],'secret':null,"
        + "'credential':42}");
    ObjectNode before = config.deepCopy();

    ObjectNode redacted = SecretKeys.defaults().redact(config);

    assertThat(redacted).isEqualTo(json("{'host':'h','password':'***','nested':{'auth':"
        + "{'token':'***'},'n':1},'list':[{'apiKey':'***'},'plain'],'secret':null,"
        + "'credential':'***'}"));
    assertThat(config).isEqualTo(before);
    assertThat(SecretKeys.defaults().holdsSecrets(config)).isTrue();
  }

  @Test
  void aConfigWithoutSecretsIsReturnedAsItIs() {
    ObjectNode config = json("{'host':'h','password':null,'list':[{'a':1}]}");
    assertThat(SecretKeys.defaults().holdsSecrets(config)).isFalse();
    assertThat(SecretKeys.defaults().redact(config)).isSameAs(config);
    assertThat(SecretKeys.none().redact(json("{'password':'p'}")))
        .isEqualTo(json("{'password':'p'}"));
  }

  @Test
  void listsAreBuiltAndExtendedWithCheckedPatterns() {
    SecretKeys more = SecretKeys.defaults().and("ssn", "token");
    assertThat(more.patterns())
        .containsExactly("password", "secret", "token", "apiKey", "credential", "ssn");
    assertThat(more.isSecret("customer_SSN")).isTrue();
    assertThat(SecretKeys.of("pin")).isEqualTo(SecretKeys.of("pin", "pin"));
    assertThatThrownBy(() -> SecretKeys.of("__")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("letter or digit");
    assertThatThrownBy(() -> SecretKeys.of("x".repeat(129)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("128");
    assertThatThrownBy(() -> SecretKeys.of((String) null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void aPolicyCarriesItsSecretKeysThroughItsBuilder() {
    ExecutionPolicy p = ExecutionPolicy.builder("p").secretKeys(SecretKeys.of("pin")).build();
    assertThat(p.secretKeys()).contains(SecretKeys.of("pin"));
    assertThat(p.toBuilder().build()).isEqualTo(p);
    assertThat(p).isNotEqualTo(ExecutionPolicy.builder("p").build());
    assertThat(ExecutionPolicy.builder("q").build().secretKeys()).isEmpty();
    assertThat(p.toString()).contains("secretKeys=[pin]");
  }

  @Test
  void theDocumentedPolicyExtendsTheDefaults() {
    // docs:start
    ExecutionPolicy payments = ExecutionPolicy.builder("payments")
        .secretKeys(SecretKeys.defaults().and("pin", "iban"))
        .build();
    // docs:end
    SecretKeys keys = payments.secretKeys().orElseThrow();
    assertThat(keys.isSecret("cardPin")).isTrue();
    assertThat(keys.isSecret("payee_IBAN")).isTrue();
    assertThat(keys.isSecret("dbPassword")).isTrue();
    assertThat(keys.isSecret("amount")).isFalse();
  }
}
