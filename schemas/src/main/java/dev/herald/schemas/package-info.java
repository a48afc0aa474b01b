/**
 * Herald's wire contracts: one record per topic value, each mirroring a JSON Schema under {@code
 * herald/schemas/} on the classpath. The schemas are the source of truth; {@code SchemaConformanceTest}
 * proves the records agree with them.
 */
package dev.herald.schemas;
