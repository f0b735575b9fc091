/* version.h -- the release, shared by both programs. */
#ifndef HAILONG_VERSION_H
#define HAILONG_VERSION_H

#define HAILONG_VERSION "0.1.0"

#endif
