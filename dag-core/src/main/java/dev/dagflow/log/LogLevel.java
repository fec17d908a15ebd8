package dev.dagflow.log;

/** The level of a node's log line, from least to most severe. */
public enum LogLevel {
  DEBUG, INFO, WARN, ERROR
}
