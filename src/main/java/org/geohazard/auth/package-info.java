/**
 * API-key hashing shared by the API (to look a presented key up) and persistence (to store a new one); keys
 * themselves are never stored.
 */
package org.geohazard.auth;
