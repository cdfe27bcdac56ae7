/**
 * Redis: cached analyses and results, scene progress, rate-limit counters, the active-alerts generation; a
 * Redis that is away reads as misses and drops writes, so answers stay correct.
 */
package org.geohazard.cache;
