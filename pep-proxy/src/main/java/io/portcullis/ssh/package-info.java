/**
 * The SSH gateway: an Apache MINA SSHD server that agents log in to with their token, and for each
 * allowed channel request a MINA client channel to the target, logged in with the gateway's own
 * credentials. Every exec, shell, shell line, subsystem, environment variable and forwarding is
 * decided by the policy and recorded before it reaches the target.
 */
package io.portcullis.ssh;
