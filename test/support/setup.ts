// type-graphql reads decorator metadata through the Reflect API: load it before any schema class.
import "reflect-metadata";
