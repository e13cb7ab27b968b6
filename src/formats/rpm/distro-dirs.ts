/**
 * Directories a distribution already owns. A package that also owned them would conflict with
 * Fedora/RHEL's `filesystem` package (different mode/owner) or fight over them on removal, so the
 * RPM writer leaves them out of the file list; the package owns only its own directories.
 *
 * Taken from the directory list of Fedora's `filesystem` package (its %files), plus the systemd,
 * logrotate and setup directories every service package drops files into.
 */
export const DISTRO_OWNED_DIRS: ReadonlySet<string> = new Set([
  // filesystem: top level
  '/', '/afs', '/bin', '/boot', '/dev', '/etc', '/home', '/lib', '/lib64', '/media', '/mnt', '/opt',
  '/proc', '/root', '/run', '/sbin', '/srv', '/sys', '/tmp', '/usr', '/var',
  // filesystem: /etc
  '/etc/X11', '/etc/X11/applnk', '/etc/X11/fontpath.d', '/etc/X11/xinit', '/etc/X11/xinit/xinitrc.d',
  '/etc/bash_completion.d', '/etc/default', '/etc/opt', '/etc/pki', '/etc/skel', '/etc/sysconfig',
  '/etc/xdg', '/etc/xdg/autostart', '/etc/xinetd.d', '/etc/profile.d',
  // filesystem: /usr
  '/usr/bin', '/usr/games', '/usr/include', '/usr/lib', '/usr/lib/debug', '/usr/lib/games',
  '/usr/lib/locale', '/usr/lib/modules', '/usr/lib/sysimage', '/usr/lib64', '/usr/lib64/games', '/usr/libexec',
  '/usr/local', '/usr/local/bin', '/usr/local/etc', '/usr/local/games', '/usr/local/include',
  '/usr/local/lib', '/usr/local/lib64', '/usr/local/libexec', '/usr/local/sbin', '/usr/local/share',
  '/usr/local/share/applications', '/usr/local/share/info', '/usr/local/share/man', '/usr/local/src',
  '/usr/sbin', '/usr/src', '/usr/src/debug', '/usr/src/kernels', '/usr/tmp',
  // filesystem: /usr/share
  '/usr/share', '/usr/share/aclocal', '/usr/share/appdata', '/usr/share/applications', '/usr/share/augeas',
  '/usr/share/backgrounds', '/usr/share/desktop-directories', '/usr/share/dict', '/usr/share/doc',
  '/usr/share/empty', '/usr/share/games', '/usr/share/gnome', '/usr/share/help', '/usr/share/icons',
  '/usr/share/idl', '/usr/share/info', '/usr/share/licenses', '/usr/share/locale', '/usr/share/man',
  '/usr/share/metainfo', '/usr/share/mime-info', '/usr/share/misc', '/usr/share/omf', '/usr/share/pixmaps',
  '/usr/share/sounds', '/usr/share/themes', '/usr/share/wayland-sessions', '/usr/share/X11', '/usr/share/xsessions',
  ...['0p', '1', '1p', '1x', '2', '2x', '3', '3p', '3x', '4', '4x', '5', '5x', '6', '6x', '7', '7x', '8', '8x', '9', '9x', 'l', 'n']
    .map((s) => `/usr/share/man/man${s}`),
  // filesystem: /var
  '/var/adm', '/var/cache', '/var/db', '/var/empty', '/var/ftp', '/var/games', '/var/lib', '/var/lib/games',
  '/var/lib/misc', '/var/lib/rpm-state', '/var/local', '/var/lock', '/var/log', '/var/mail', '/var/nis',
  '/var/opt', '/var/preserve', '/var/run', '/var/spool', '/var/spool/lpd', '/var/spool/mail', '/var/tmp', '/var/yp',
  // systemd, logrotate
  '/etc/systemd', '/etc/systemd/system', '/etc/systemd/user', '/etc/tmpfiles.d', '/etc/sysusers.d', '/etc/logrotate.d',
  '/usr/lib/systemd', '/usr/lib/systemd/system', '/usr/lib/systemd/system-preset', '/usr/lib/systemd/user',
  '/usr/lib/systemd/user-preset', '/usr/lib/sysusers.d', '/usr/lib/tmpfiles.d',
]);
