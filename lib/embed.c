/* embed.c -- files built into a binary (migrations, data, pages). */
#include <string.h>

#include "hailong/embed.h"

const struct embed_file *
embed_find(const struct embed_file *table, const char *name)
{
	for (; table->name != NULL; table++)
		if (strcmp(table->name, name) == 0)
			return table;
	return NULL;
}
