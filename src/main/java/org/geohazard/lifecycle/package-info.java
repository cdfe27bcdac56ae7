/**
 * Data lifecycle (issue 23, item 7): what deleting an upload removes outside the database ({@link
 * org.geohazard.lifecycle.Erasure}), used by the API's delete and by the retention sweep
 * ({@code persistence.RetentionSweeper}).
 */
package org.geohazard.lifecycle;
