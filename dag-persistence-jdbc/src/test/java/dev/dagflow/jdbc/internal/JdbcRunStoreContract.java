package dev.dagflow.jdbc.internal;

import dev.dagflow.jdbc.testing.TestDatabase;
import dev.dagflow.store.RunStore;
import dev.dagflow.store.contract.RunStoreContract;

/**
 * The run store contract of dag-core, unchanged, on each database: one subclass per database,
 * each with a database of its own that is emptied before every test.
 */
abstract class JdbcRunStoreContract extends RunStoreContract {

  abstract TestDatabase database();

  @Override
  protected RunStore newStore() {
    database().clear();
    return new JdbcRunStore(database().context());
  }
}
