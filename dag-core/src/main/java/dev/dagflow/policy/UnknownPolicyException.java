package dev.dagflow.policy;

import dev.dagflow.DagflowException;

/** A DAG or an operation names an execution policy that does not exist. */
public class UnknownPolicyException extends DagflowException {
  private static final long serialVersionUID = 1L;

  private final String policyName;

  public UnknownPolicyException(String policyName, String where) {
    super("no execution policy named '" + policyName + "' (named by " + where + ")");
    this.policyName = policyName;
  }

  public String policyName() {
    return policyName;
  }
}
