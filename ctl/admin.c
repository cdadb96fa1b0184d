/*
 * connectifyctl create-admin: connectify-fcgi --create-hr's code
 * (fcgi/accounts.c), shared through fcgi/libapp.a.
 */
#include <stdio.h>

#include "extern.h"

int	create_hr(const char *name, const char *phone, const char *email);

int
cmd_create_admin(int argc, char *argv[])
{
	if (argc != 4) {
		ctl_help(argv[0]);
		return CTL_USAGE;
	}
	return create_hr(argv[1], argv[2], argv[3]) == 0 ? CTL_OK : CTL_FAIL;
}
