/** SPDX licence ids → DEP-5 `License:` stanzas (short name and text lines). */

/** Debian's /usr/share/common-licenses files for SPDX ids. */
const COMMON: Record<string, string> = {
  'Apache-2.0': 'Apache-2.0',
  'Artistic-1.0-Perl': 'Artistic',
  'CC0-1.0': 'CC0-1.0',
  'GFDL-1.2-only': 'GFDL-1.2', 'GFDL-1.3-only': 'GFDL-1.3',
  'GPL-1.0-only': 'GPL-1', 'GPL-2.0-only': 'GPL-2', 'GPL-2.0': 'GPL-2', 'GPL-3.0-only': 'GPL-3', 'GPL-3.0': 'GPL-3',
  'GPL-2.0-or-later': 'GPL-2', 'GPL-3.0-or-later': 'GPL-3',
  'LGPL-2.0-only': 'LGPL-2', 'LGPL-2.1-only': 'LGPL-2.1', 'LGPL-2.1': 'LGPL-2.1', 'LGPL-3.0-only': 'LGPL-3', 'LGPL-3.0': 'LGPL-3',
  'LGPL-2.1-or-later': 'LGPL-2.1', 'LGPL-3.0-or-later': 'LGPL-3',
  'MPL-1.1': 'MPL-1.1', 'MPL-2.0': 'MPL-2.0',
};

/** DEP-5 short names where they differ from SPDX. */
const DEP5_NAME: Record<string, string> = {
  MIT: 'Expat',
  'GPL-2.0-only': 'GPL-2', 'GPL-2.0': 'GPL-2', 'GPL-2.0-or-later': 'GPL-2+', 'GPL-3.0-only': 'GPL-3', 'GPL-3.0': 'GPL-3', 'GPL-3.0-or-later': 'GPL-3+',
  'LGPL-2.1-only': 'LGPL-2.1', 'LGPL-2.1': 'LGPL-2.1', 'LGPL-2.1-or-later': 'LGPL-2.1+', 'LGPL-3.0-only': 'LGPL-3', 'LGPL-3.0': 'LGPL-3', 'LGPL-3.0-or-later': 'LGPL-3+',
  'Artistic-1.0-Perl': 'Artistic',
};

const EXPAT = [
  'Permission is hereby granted, free of charge, to any person obtaining a copy of this',
  'software and associated documentation files (the "Software"), to deal in the Software',
  'without restriction, including without limitation the rights to use, copy, modify,',
  'merge, publish, distribute, sublicense, and/or sell copies of the Software, and to',
  'permit persons to whom the Software is furnished to do so, subject to the following',
  'conditions:',
  '',
  'The above copyright notice and this permission notice shall be included in all copies',
  'or substantial portions of the Software.',
  '',
  'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED,',
  'INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A',
  'PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT',
  'HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF',
  'CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE',
  'OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.',
];

const ISC = [
  'Permission to use, copy, modify, and/or distribute this software for any purpose with',
  'or without fee is hereby granted, provided that the above copyright notice and this',
  'permission notice appear in all copies.',
  '',
  'THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES WITH REGARD TO',
  'THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS. IN NO',
  'EVENT SHALL THE AUTHOR BE LIABLE FOR ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL',
  'DAMAGES OR ANY DAMAGES WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER',
  'IN AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF OR IN',
  'CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.',
];

/** A DEP-5 licence stanza: the `License:` short name and the text lines that follow it. */
export interface LicenseStanza {
  name: string;
  text: string[];
}

/** Map an SPDX id (or nothing) to a DEP-5 licence stanza. */
export function licenseStanza(spdx: string | undefined): LicenseStanza {
  if (!spdx || spdx === 'UNLICENSED') return { name: 'other', text: ['All rights reserved. No licence is granted.'] };
  const name = DEP5_NAME[spdx] ?? spdx;
  if (spdx === 'MIT') return { name, text: EXPAT };
  if (spdx === 'ISC') return { name, text: ISC };
  const common = COMMON[spdx];
  if (common) return { name, text: [`On Debian systems, the full text of this licence is in /usr/share/common-licenses/${common}.`] };
  return { name, text: [`This package is distributed under the ${spdx} licence (SPDX identifier); see the upstream project for its text.`] };
}
