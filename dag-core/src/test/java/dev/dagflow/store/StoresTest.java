package dev.dagflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StoresTest {

  @Test
  void eachInMemoryCallGivesAFreshSetOfStores() {
    Stores one = Stores.inMemory();
    Stores two = Stores.inMemory();
    assertThat(one.runs()).isNotSameAs(two.runs());
    assertThat(one.logs()).isNotSameAs(two.logs());
    assertThat(one.policies()).isNotSameAs(two.policies());
    assertThat(one.templates()).isNotSameAs(two.templates());
    assertThat(one.triggers()).isNotSameAs(two.triggers());
    assertThat(one.runs()).isSameAs(one.runs());
  }

  @Test
  void ofHoldsTheGivenStoresAndRefusesNull() {
    Stores memory = Stores.inMemory();
    Stores of = Stores.of(memory.runs(), memory.logs(), memory.policies(), memory.templates(),
        memory.triggers());
    assertThat(of.runs()).isSameAs(memory.runs());
    assertThat(of.templates()).isSameAs(memory.templates());
    assertThat(of.triggers()).isSameAs(memory.triggers());
    assertThatThrownBy(() -> Stores.of(memory.runs(), null, memory.policies(),
        memory.templates(), memory.triggers())).isInstanceOf(NullPointerException.class)
        .hasMessage("logs");
    assertThatThrownBy(() -> Stores.of(memory.runs(), memory.logs(), memory.policies(),
        memory.templates(), null)).isInstanceOf(NullPointerException.class)
        .hasMessage("triggers");
  }
}
