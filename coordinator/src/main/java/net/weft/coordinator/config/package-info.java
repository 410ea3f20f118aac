/**
 * The coordinator's configuration: one {@code @ConfigMapping} tree under {@code weft.*}, read and
 * validated once at start, with every default documented beside its property.
 */
package net.weft.coordinator.config;
