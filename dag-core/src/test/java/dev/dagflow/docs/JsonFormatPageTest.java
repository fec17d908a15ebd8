package dev.dagflow.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.spec.DagJson;
import dev.dagflow.spec.SpecFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/json-format.md states the ids the seed formats give a DAG that names none. */
class JsonFormatPageTest {

  @Test
  void theSeedFormatsDefaultIdsAreTheOnesThePageStates() throws Exception {
    String page = Files.readString(Path.of("../docs/json-format.md"));
    String scan = DagJson.read("{\"nodes\": [{\"id\": \"a\", \"task_type\": \"t\"}]}",
        SpecFormat.SCAN).id();
    String simulationArray = DagJson.read(
        "[{\"nodeId\": \"a\", \"nodeType\": \"agent\", \"agentLoad\": \"t\"}]",
        SpecFormat.SIMULATION).id();
    String simulationObject = DagJson.read(
        "{\"nodes\": [{\"nodeId\": \"a\", \"nodeType\": \"agent\", \"agentLoad\": \"t\"}]}",
        SpecFormat.SIMULATION).id();

    assertThat(simulationObject).isEqualTo(simulationArray);
    assertThat(page).contains("(default `" + scan + "`)")
        .contains("the DAG's id is `" + simulationArray + "`");
  }
}
