/**
 * A strict parser of shell command lines: what a line's words are when, and only when, the line
 * is one simple command, and the name of every construct that stops it from being one.
 */
package io.portcullis.shell;
