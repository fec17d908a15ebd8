package dev.dagflow.store.memory;

import dev.dagflow.store.TemplateStore;
import dev.dagflow.store.contract.TemplateStoreContract;

class MemoryTemplateStoreTest extends TemplateStoreContract {
  @Override
  protected TemplateStore newStore() {
    return new MemoryTemplateStore();
  }
}
