"""Departments (tenants), users, roles, sign-in sessions and the tenant-scoped query layer."""
