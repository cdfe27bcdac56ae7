/**
 * The command line, with picocli: {@code geohazard} ({@link org.geohazard.cli.GeohazardCli}) and its subcommands
 * {@code serve} (the default: a bare {@code java -jar geohazard.jar} starts a node), {@code analyze} (the detector
 * on files, without servers) and {@code create-api-key}; each answers {@code --help}, and the top command
 * {@code --version}. A wrong command line exits 2 with the usage on standard error. This package only parses and
 * hands over: the node is composed in {@link org.geohazard.node}, the offline analysis, its writers and progress
 * live in {@link org.geohazard.node.AnalyzeCommand}, the key in {@link org.geohazard.persistence.ApiKeyAdmin}.
 */
package org.geohazard.cli;
