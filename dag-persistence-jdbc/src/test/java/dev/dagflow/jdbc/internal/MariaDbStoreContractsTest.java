package dev.dagflow.jdbc.internal;

import dev.dagflow.jdbc.testing.TestDatabase;
import dev.dagflow.store.LogStore;
import dev.dagflow.store.PolicyStore;
import dev.dagflow.store.ScheduleStore;
import dev.dagflow.store.TemplateStore;
import dev.dagflow.store.TriggerStore;
import dev.dagflow.store.contract.LogStoreContract;
import dev.dagflow.store.contract.PolicyStoreContract;
import dev.dagflow.store.contract.ScheduleStoreContract;
import dev.dagflow.store.contract.TemplateStoreContract;
import dev.dagflow.store.contract.TriggerStoreContract;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The dag-core store contracts, unchanged, on MariaDB: one database for every store. */
class MariaDbStoreContractsTest {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.of(TestDatabase.Kind.MARIADB);

  @Nested
  class Templates extends TemplateStoreContract {
    @Override
    protected TemplateStore newStore() {
      DB.clear();
      return new JdbcTemplateStore(DB.context());
    }
  }

  @Nested
  class Policies extends PolicyStoreContract {
    @Override
    protected PolicyStore newStore() {
      DB.clear();
      return new JdbcPolicyStore(DB.context());
    }
  }

  @Nested
  class Triggers extends TriggerStoreContract {
    @Override
    protected TriggerStore newStore() {
      DB.clear();
      return new JdbcTriggerStore(DB.context());
    }
  }

  @Nested
  class Schedules extends ScheduleStoreContract {
    @Override
    protected ScheduleStore newStore() {
      DB.clear();
      return new JdbcScheduleStore(DB.context());
    }
  }

  @Nested
  class Logs extends LogStoreContract {
    @Override
    protected LogStore newStore() {
      DB.clear();
      return new JdbcLogStore(DB.context());
    }
  }
}
