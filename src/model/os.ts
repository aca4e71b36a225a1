/** The operating system of an image or root filesystem, as its release files describe it. */
export interface OsInfo {
  /**
   * The distribution, lower case, as os-release `ID` writes it (`debian`, `ubuntu`, `alpine`,
   * `wolfi`, `rhel`, `almalinux`, `rocky`, `centos`, `fedora`, `amzn`, `ol`, `sles`, `opensuse-leap`,
   * `photon`, `mariner`, `azurelinux`, `chainguard`…).
   */
  family: string;
  /** The release as os-release `VERSION_ID` writes it (`12`, `3.18.4`, `22.04`), or `edge`/`sid`. */
  version: string;
  /** The release code name where the distribution has one (`bookworm`, `jammy`). */
  codename?: string;
  /** The human-readable name (`Debian GNU/Linux 12 (bookworm)`). */
  prettyName?: string;
  /** The file the facts came from, relative to the root. */
  path?: string;
}
