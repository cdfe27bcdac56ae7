/**
 * Who may do what, as pure rules with unit tests: API-key hashing and making (keys themselves are never stored),
 * scopes ({@link org.geohazard.auth.Scope}) and the decision from an operation's declared security alternatives
 * ({@link org.geohazard.auth.Access}), who publishes alerts ({@link org.geohazard.auth.Publication}), the one
 * spelling of a path ({@link org.geohazard.auth.CanonicalPath}), the client address behind trusted proxies
 * ({@link org.geohazard.auth.ClientAddress}), the unknown-key budget per address
 * ({@link org.geohazard.auth.FailedKeyThrottle}), webhook signatures and targets.
 */
package org.geohazard.auth;
