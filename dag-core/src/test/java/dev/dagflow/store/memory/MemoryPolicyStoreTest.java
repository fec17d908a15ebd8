package dev.dagflow.store.memory;

import dev.dagflow.store.PolicyStore;
import dev.dagflow.store.contract.PolicyStoreContract;

class MemoryPolicyStoreTest extends PolicyStoreContract {
  @Override
  protected PolicyStore newStore() {
    return new MemoryPolicyStore();
  }
}
