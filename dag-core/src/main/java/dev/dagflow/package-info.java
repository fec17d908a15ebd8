/** dagflow: runs DAG workflows inside JVM services. This package holds the exception root. */
package dev.dagflow;
